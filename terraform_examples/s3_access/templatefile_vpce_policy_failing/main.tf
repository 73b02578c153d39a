# The landing bucket's policy lives in a template, as many repositories keep it: it admits only the
# VPC's S3 endpoint, whose ID comes from the network stack. The Spectrum role of the ingest cluster reads
# the bucket, but a provisioned cluster's Spectrum reads S3 from AWS-managed addresses, outside the VPC.
# CKV_RSPEC_1 fails on aws_s3_bucket_policy.landing, whatever the endpoint's ID. CKV_RSPEC_2 to 5 pass.

variable "s3_endpoint_id" {
  description = "The S3 gateway endpoint of the ingest VPC (from the network stack)"
  type        = string
}

resource "aws_iam_role" "spectrum" {
  name = "ingest-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "spectrum_landing" {
  name = "landing-read"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [aws_s3_bucket.landing.arn, "${aws_s3_bucket.landing.arn}/*"]
    }]
  })
}

resource "aws_redshift_cluster" "ingest" {
  cluster_identifier     = "ingest"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "landing" {
  bucket = "acme-ingest-landing"
}

resource "aws_s3_bucket_policy" "landing" {
  bucket = aws_s3_bucket.landing.id
  policy = templatefile("${path.module}/policy.json.tpl", {
    bucket_arn = aws_s3_bucket.landing.arn
    vpce_id    = var.s3_endpoint_id
  })
}
