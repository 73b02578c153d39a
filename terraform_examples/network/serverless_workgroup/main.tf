# A Serverless workgroup with enhanced VPC routing: Serverless routes Spectrum's S3 reads through the
# VPC too. The Glue interface endpoint (private DNS on) gives the catalog path: CKV_RSPEC_6 passes.
# There is no S3 endpoint, NAT or internet gateway: CKV_RSPEC_7 fails.

resource "aws_vpc" "science" {
  cidr_block           = "10.110.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.science.id
  cidr_block        = "10.110.${count.index + 1}.0/24"
  availability_zone = ["eu-west-1a", "eu-west-1b", "eu-west-1c"][count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.science.id
}

resource "aws_route_table_association" "private" {
  count          = 3
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "workgroup" {
  name   = "science-workgroup"
  vpc_id = aws_vpc.science.id

  egress {
    description = "HTTPS to the interface endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    self        = true
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
  vpc_id              = aws_vpc.science.id
  service_name        = "com.amazonaws.eu-west-1.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.workgroup.id]
}

resource "aws_redshiftserverless_namespace" "science" {
  namespace_name = "science"
  db_name        = "science"
}

resource "aws_redshiftserverless_workgroup" "science" {
  namespace_name       = aws_redshiftserverless_namespace.science.namespace_name
  workgroup_name       = "science"
  base_capacity        = 32
  enhanced_vpc_routing = true
  subnet_ids           = aws_subnet.private[*].id
  security_group_ids   = [aws_security_group.workgroup.id]
}
