# A Serverless workgroup with enhanced VPC routing reads a bucket restricted to the VPC's S3 endpoint.
# Serverless sends Spectrum's reads through the workgroup's VPC, so the endpoint condition is no
# network-origin finding: CKV_RSPEC_1 to CKV_RSPEC_7 pass.

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
  subnet_ids           = aws_subnet.private[*].id
  security_group_ids   = [aws_security_group.redshift.id]
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
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })
}

# --- the workgroup's network: enhanced VPC routing with a Glue endpoint and an S3 gateway endpoint ---

resource "aws_vpc" "lakehouse" {
  cidr_block           = "10.70.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.lakehouse.id
  cidr_block        = "10.70.${count.index + 1}.0/24"
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.lakehouse.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "redshift" {
  name   = "lakehouse-redshift"
  vpc_id = aws_vpc.lakehouse.id

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
  vpc_id              = aws_vpc.lakehouse.id
  service_name        = "com.amazonaws.eu-west-1.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.redshift.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.lakehouse.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
