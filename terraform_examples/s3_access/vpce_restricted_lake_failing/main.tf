# An analytics cluster queries the raw zone through a Glue table. The raw bucket follows the networking
# team's standard policy: deny everything that does not arrive through the VPC's S3 gateway endpoint.
# Spectrum on a provisioned cluster reads S3 from AWS-managed addresses, never through that endpoint:
# CKV_RSPEC_1 fails on aws_s3_bucket_policy.raw. CKV_RSPEC_2 to CKV_RSPEC_5 pass.

variable "s3_endpoint_id" {
  description = "The VPC's S3 gateway endpoint (vpce-...), from the network stack."
  type        = string
}

resource "aws_iam_role" "spectrum" {
  name = "analytics-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "spectrum_lake" {
  name = "lake-read"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadRawZone"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
        Resource = [aws_s3_bucket.raw.arn, "${aws_s3_bucket.raw.arn}/*"]
      },
      {
        Sid      = "ReadCatalog"
        Effect   = "Allow"
        Action   = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_redshift_cluster" "analytics" {
  cluster_identifier     = "analytics"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  database_name          = "analytics"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  enhanced_vpc_routing   = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "raw" {
  bucket = "acme-analytics-raw"
}

data "aws_iam_policy_document" "raw" {
  statement {
    sid       = "OnlyThroughTheS3Endpoint"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.raw.arn, "${aws_s3_bucket.raw.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = [var.s3_endpoint_id]
    }
  }
}

resource "aws_s3_bucket_policy" "raw" {
  bucket = aws_s3_bucket.raw.id
  policy = data.aws_iam_policy_document.raw.json
}

resource "aws_glue_catalog_database" "raw" {
  name = "raw"
}

resource "aws_glue_catalog_table" "clickstream" {
  name          = "clickstream"
  database_name = aws_glue_catalog_database.raw.name
  table_type    = "EXTERNAL_TABLE"
  storage_descriptor {
    location      = "s3://${aws_s3_bucket.raw.bucket}/clickstream/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
  }
}
