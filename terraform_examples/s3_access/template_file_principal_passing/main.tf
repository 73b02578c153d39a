# The reporting bucket's policy comes from a template rendered by the legacy template_file data source.
# It denies reads to every principal but the reporting cluster's Spectrum role and the loader role, and
# requires TLS: Spectrum reads it from AWS-managed addresses all the same. CKV_RSPEC_1 to CKV_RSPEC_5 pass.

resource "aws_iam_role" "spectrum" {
  name = "reporting-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_redshift_cluster" "reporting" {
  cluster_identifier     = "reporting"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "reporting" {
  bucket = "acme-reporting-marts"
}

data "template_file" "reporting_policy" {
  template = file("${path.module}/bucket-policy.json.tpl")
  vars = {
    bucket      = aws_s3_bucket.reporting.bucket
    reader_arn  = aws_iam_role.spectrum.arn
    loader_arn  = "arn:aws:iam::111122223333:role/reporting-loader"
  }
}

resource "aws_s3_bucket_policy" "reporting" {
  bucket = aws_s3_bucket.reporting.id
  policy = data.template_file.reporting_policy.rendered
}
