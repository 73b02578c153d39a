# Private subnets explicitly associated with a route table whose default route goes to a NAT gateway
# in a public subnet (one NAT per AZ, as terraform-aws-vpc lays it out). CKV_RSPEC_6 and CKV_RSPEC_7
# pass; a Glue interface endpoint would avoid the NAT's open egress (Checkov's CKV_AWS_382).

locals {
  azs = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_vpc" "reporting" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_internet_gateway" "reporting" {
  vpc_id = aws_vpc.reporting.id
}

resource "aws_subnet" "public" {
  count                   = length(local.azs)
  vpc_id                  = aws_vpc.reporting.id
  cidr_block              = "10.70.${count.index}.0/24"
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.reporting.id
  cidr_block        = "10.70.${count.index + 10}.0/24"
  availability_zone = local.azs[count.index]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.reporting.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.reporting.id
  }
}

resource "aws_route_table_association" "public" {
  count          = length(local.azs)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  count  = length(local.azs)
  domain = "vpc"
}

resource "aws_nat_gateway" "reporting" {
  count         = length(local.azs)
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

resource "aws_route_table" "private" {
  count  = length(local.azs)
  vpc_id = aws_vpc.reporting.id
}

resource "aws_route" "private_nat" {
  count                  = length(local.azs)
  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.reporting[count.index].id
}

resource "aws_route_table_association" "private" {
  count          = length(local.azs)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

resource "aws_security_group" "redshift" {
  name   = "reporting-redshift"
  vpc_id = aws_vpc.reporting.id
}

resource "aws_security_group_rule" "redshift_https_out" {
  type              = "egress"
  security_group_id = aws_security_group.redshift.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_redshift_subnet_group" "reporting" {
  name       = "reporting"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_redshift_cluster" "reporting" {
  cluster_identifier        = "reporting"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "reporting"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.reporting.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
