# A Serverless workgroup with enhanced VPC routing reads a bucket restricted to the VPC's S3 endpoint.
# Serverless sends Spectrum's reads through the workgroup's VPC, so the endpoint condition is no
# network-origin finding: CKV_RSPEC_1 to CKV_RSPEC_5 pass.

variable "s3_endpoint_id" {
  type = string
}

resource "aws_iam_role" "lakehouse" {
  name = "lakehouse-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] }
    }]
  })
}

resource "aws_iam_role_policy" "lakehouse" {
  role = aws_iam_role.lakehouse.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = [aws_s3_bucket.lakehouse.arn, "${aws_s3_bucket.lakehouse.arn}/*"]
    }]
  })
}

resource "aws_redshiftserverless_namespace" "lakehouse" {
  namespace_name       = "lakehouse"
  iam_roles            = [aws_iam_role.lakehouse.arn]
  default_iam_role_arn = aws_iam_role.lakehouse.arn
}

resource "aws_redshiftserverless_workgroup" "lakehouse" {
  namespace_name       = aws_redshiftserverless_namespace.lakehouse.namespace_name
  workgroup_name       = "lakehouse"
  enhanced_vpc_routing = true
  publicly_accessible  = false
}

resource "aws_s3_bucket" "lakehouse" {
  bucket = "acme-lakehouse"
}

resource "aws_s3_bucket_policy" "lakehouse" {
  bucket = aws_s3_bucket.lakehouse.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OnlyThroughTheS3Endpoint"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.lakehouse.arn, "${aws_s3_bucket.lakehouse.arn}/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = var.s3_endpoint_id } }
    }]
  })
}
