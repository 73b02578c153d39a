# The HR bucket admits only an allow-list of roles, and the list predates the Spectrum role:
# CKV_RSPEC_4 fails on aws_s3_bucket_policy.hr. CKV_RSPEC_1 to CKV_RSPEC_3 and CKV_RSPEC_5 pass.

resource "aws_iam_role" "spectrum" {
  name = "people-analytics-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "spectrum" {
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["s3:GetObject", "s3:ListBucket"]
      Resource  = [aws_s3_bucket.hr.arn, "${aws_s3_bucket.hr.arn}/*"]
      Condition = { StringEquals = { "aws:UserAgent" = "AWS Redshift/Spectrum" } }
    }]
  })
}

resource "aws_redshift_cluster" "people" {
  cluster_identifier     = "people-analytics"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "hr" {
  bucket = "acme-hr-records"
}

resource "aws_s3_bucket_policy" "hr" {
  bucket = aws_s3_bucket.hr.id
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": {
    "Sid": "OnlyHrSystems",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::acme-hr-records/*",
    "Condition": {
      "StringNotLike": {
        "aws:PrincipalArn": ["arn:aws:iam::*:role/hr-etl", "arn:aws:iam::*:role/hr-admin-*"]
      }
    }
  }
}
POLICY
}
