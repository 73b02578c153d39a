# A data lake reviewed as a `terraform show -json` plan (tfplan.json). The plan holds every policy that names
# its bucket literally; a policy embedding an ARN computed at apply time would be absent from it.
# Regenerate the plan with scripts/regenerate-plans.sh.
#
# The raw bucket admits reads only through the VPC's S3 endpoint: CKV_RSPEC_1 fails on its bucket policy.
# The curated bucket restricts by principal and demands TLS: CKV_RSPEC_1 to CKV_RSPEC_4 pass.

resource "aws_iam_role" "spectrum" {
  name = "plan-lake-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "spectrum_read" {
  name = "read-lake"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadLake"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
        Resource = [
          "arn:aws:s3:::plan-lake-raw", "arn:aws:s3:::plan-lake-raw/*",
          "arn:aws:s3:::plan-lake-curated", "arn:aws:s3:::plan-lake-curated/*",
        ]
      },
      {
        Sid      = "GlueCatalog"
        Effect   = "Allow"
        Action   = ["glue:GetDatabase*", "glue:GetTable*", "glue:GetPartition*"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_redshift_cluster" "lake" {
  cluster_identifier     = "plan-lake"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "raw" {
  bucket = "plan-lake-raw"
}

resource "aws_s3_bucket_policy" "raw" {
  bucket = aws_s3_bucket.raw.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OnlyThroughTheS3Endpoint"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::plan-lake-raw", "arn:aws:s3:::plan-lake-raw/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f60718" } }
    }]
  })
}

resource "aws_s3_bucket" "curated" {
  bucket = "plan-lake-curated"
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
        Resource  = ["arn:aws:s3:::plan-lake-curated", "arn:aws:s3:::plan-lake-curated/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "OnlyTheLakeRoles"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::plan-lake-curated/*"
        Condition = { ArnNotLike = { "aws:PrincipalArn" = ["arn:aws:iam::*:role/plan-lake-*"] } }
      },
    ]
  })
}
