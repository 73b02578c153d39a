# The alternative AWS recommends to an endpoint-only policy: restrict the curated bucket by principal.
# Only the Spectrum role and the ETL role may read it, and only over TLS. A Glue crawler catalogues it.
# CKV_RSPEC_1 to CKV_RSPEC_5 pass.

data "aws_iam_policy_document" "redshift_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "spectrum" {
  name               = "finance-spectrum"
  assume_role_policy = data.aws_iam_policy_document.redshift_trust.json
}

resource "aws_iam_policy" "curated_read" {
  name = "finance-curated-read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [aws_s3_bucket.curated.arn, "${aws_s3_bucket.curated.arn}/*"]
    }]
  })
}

resource "aws_iam_role_policy_attachment" "spectrum_curated" {
  role       = aws_iam_role.spectrum.name
  policy_arn = aws_iam_policy.curated_read.arn
}

resource "aws_iam_role_policy_attachment" "spectrum_glue" {
  role       = aws_iam_role.spectrum.name
  policy_arn = "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess"
}

resource "aws_redshift_cluster" "finance" {
  cluster_identifier     = "finance"
  node_type              = "ra3.4xlarge"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "curated" {
  bucket = "acme-finance-curated"
}

resource "aws_s3_bucket_policy" "curated" {
  bucket = aws_s3_bucket.curated.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "TlsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.curated.arn, "${aws_s3_bucket.curated.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "OnlyTheLakeRoles"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.curated.arn}/*"
        Condition = {
          ArnNotEquals = { "aws:PrincipalArn" = [aws_iam_role.spectrum.arn, "arn:aws:iam::111122223333:role/finance-etl"] }
        }
      },
    ]
  })
}

resource "aws_glue_crawler" "curated" {
  name          = "finance-curated"
  database_name = "finance"
  role          = "arn:aws:iam::111122223333:role/finance-glue-crawler"
  s3_target {
    path = "s3://${aws_s3_bucket.curated.bucket}/ledger/"
  }
}
