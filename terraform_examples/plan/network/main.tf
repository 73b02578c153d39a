# CKV_RSPEC_6 and CKV_RSPEC_7 on a `terraform show -json` plan (tfplan.json); regenerate it with
# scripts/regenerate-plans.sh. A plan's graph does not link across modules, so this network is flat.
# The cluster reaches Glue through an interface endpoint with private DNS and S3 through a NAT
# gateway: both pass. The workgroup's isolated subnets reach Glue through the same endpoint (an
# interface endpoint serves the whole VPC) but have no way to S3: CKV_RSPEC_6 passes, CKV_RSPEC_7 fails.

resource "aws_vpc" "plan_review" {
  cidr_block           = "10.130.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "plan_review" {
  vpc_id = aws_vpc.plan_review.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.plan_review.id
  cidr_block        = "10.130.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.plan_review.id
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.plan_review.id
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "plan_review" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.plan_review.id
  cidr_block        = "10.130.10.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.plan_review.id
  cidr_block        = "10.130.11.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.plan_review.id
}

resource "aws_route" "private_nat" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.plan_review.id
}

resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_subnet" "isolated_a" {
  vpc_id            = aws_vpc.plan_review.id
  cidr_block        = "10.130.20.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "isolated_b" {
  vpc_id            = aws_vpc.plan_review.id
  cidr_block        = "10.130.21.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.plan_review.id
}

resource "aws_route_table_association" "isolated_a" {
  subnet_id      = aws_subnet.isolated_a.id
  route_table_id = aws_route_table.isolated.id
}

resource "aws_route_table_association" "isolated_b" {
  subnet_id      = aws_subnet.isolated_b.id
  route_table_id = aws_route_table.isolated.id
}

resource "aws_security_group" "endpoints" {
  name   = "plan-review-endpoints"
  vpc_id = aws_vpc.plan_review.id
}

# HTTPS from inside the VPC. (The plan leaves a referenced group computed, and Checkov's NetworkX graph
# does not link it, so the example admits the VPC's CIDR.)
resource "aws_vpc_security_group_ingress_rule" "endpoints_from_vpc" {
  security_group_id = aws_security_group.endpoints.id
  cidr_ipv4         = "10.130.0.0/16"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_endpoint" "glue" {
  vpc_id              = aws_vpc.plan_review.id
  service_name        = "com.amazonaws.eu-west-1.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_security_group" "redshift" {
  name   = "plan-review-redshift"
  vpc_id = aws_vpc.plan_review.id
}

resource "aws_vpc_security_group_egress_rule" "redshift_https" {
  security_group_id = aws_security_group.redshift.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_redshift_subnet_group" "plan_review" {
  name       = "plan-review"
  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
}

resource "aws_redshift_cluster" "plan_review" {
  cluster_identifier        = "plan-review-network"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.plan_review.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}

resource "aws_redshiftserverless_namespace" "isolated" {
  namespace_name = "plan-review-isolated"
}

resource "aws_redshiftserverless_workgroup" "isolated" {
  namespace_name       = aws_redshiftserverless_namespace.isolated.namespace_name
  workgroup_name       = "plan-review-isolated"
  enhanced_vpc_routing = true
  subnet_ids           = [aws_subnet.isolated_a.id, aws_subnet.isolated_b.id]
  security_group_ids   = [aws_security_group.redshift.id]
}
