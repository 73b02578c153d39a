# An analytics cluster with enhanced VPC routing queries the raw zone through a Glue table. The raw bucket
# admits only the VPC's S3 gateway endpoint, through which COPY and UNLOAD do pass. Spectrum on a
# provisioned cluster does not: it reads S3 from AWS-managed addresses, outside the VPC.
# CKV_RSPEC_1 fails on aws_s3_bucket_policy.raw. CKV_RSPEC_2 to CKV_RSPEC_7 pass.

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
  cluster_identifier        = "analytics"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "analytics"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.analytics.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
  iam_roles                 = [aws_iam_role.spectrum.arn]
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
      values   = [aws_vpc_endpoint.s3.id]
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

# --- the cluster's network: enhanced VPC routing with a Glue endpoint and an S3 gateway endpoint ---

resource "aws_vpc" "analytics" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.analytics.id
  cidr_block        = "10.60.${count.index + 1}.0/24"
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.analytics.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "redshift" {
  name   = "analytics-redshift"
  vpc_id = aws_vpc.analytics.id

  egress {
    description = "HTTPS to the endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS from the cluster to the interface endpoints, which share this group"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    self        = true
  }
}

resource "aws_vpc_endpoint" "glue" {
  vpc_id              = aws_vpc.analytics.id
  service_name        = "com.amazonaws.eu-west-1.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.redshift.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.analytics.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_redshift_subnet_group" "analytics" {
  name       = "analytics"
  subnet_ids = aws_subnet.private[*].id
}
