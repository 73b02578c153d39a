# The recommended setup: a Glue interface endpoint with private DNS and an S3 gateway endpoint on the
# private route table. No public IP, no NAT, and the cluster's egress is limited to the two endpoints:
# CKV_RSPEC_6 and CKV_RSPEC_7 pass.

data "aws_region" "current" {}

resource "aws_vpc" "lake" {
  cidr_block           = "10.50.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each = {
    "eu-west-1a" = "10.50.1.0/24"
    "eu-west-1b" = "10.50.2.0/24"
    "eu-west-1c" = "10.50.3.0/24"
  }
  vpc_id            = aws_vpc.lake.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.lake.id
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "endpoints" {
  name   = "lake-endpoints"
  vpc_id = aws_vpc.lake.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_redshift" {
  security_group_id            = aws_security_group.endpoints.id
  referenced_security_group_id = aws_security_group.redshift.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_endpoint" "glue" {
  vpc_id              = aws_vpc.lake.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for subnet in aws_subnet.private : subnet.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.lake.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "redshift" {
  name   = "lake-redshift"
  vpc_id = aws_vpc.lake.id
}

resource "aws_vpc_security_group_egress_rule" "redshift_to_glue" {
  security_group_id            = aws_security_group.redshift.id
  referenced_security_group_id = aws_security_group.endpoints.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_egress_rule" "redshift_to_s3" {
  security_group_id = aws_security_group.redshift.id
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_redshift_subnet_group" "lake" {
  name       = "lake"
  subnet_ids = values(aws_subnet.private)[*].id
}

resource "aws_redshift_cluster" "lake" {
  cluster_identifier        = "lake"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "lake"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.lake.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
