# To stop data leaving through shared links, the marketing bucket's policy forbids presigned URLs.
# Spectrum reads every object through one: CKV_RSPEC_3 fails on aws_s3_bucket_policy.marketing.
# Its SigV2 ban is harmless, since Spectrum signs with SigV4.

resource "aws_iam_role" "spectrum" {
  name = "marketing-spectrum"
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
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::acme-marketing", "arn:aws:s3:::acme-marketing/*"]
    }]
  })
}

resource "aws_redshift_cluster" "marketing" {
  cluster_identifier     = "marketing"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "marketing" {
  bucket = "acme-marketing"
}

resource "aws_s3_bucket_policy" "marketing" {
  bucket = aws_s3_bucket.marketing.id
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "NoPresignedUrls",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::acme-marketing/*",
      "Condition": {"StringEquals": {"s3:authType": "REST-QUERY-STRING"}}
    },
    {
      "Sid": "NoSigV2",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::acme-marketing", "arn:aws:s3:::acme-marketing/*"],
      "Condition": {"StringEquals": {"s3:signatureversion": "AWS"}}
    }
  ]
}
POLICY
}
