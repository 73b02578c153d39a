# No subnet association at all: the cluster's subnets use the VPC's main route table, which
# aws_main_route_table_association points at a table whose default route goes to a NAT gateway.
# The cluster lists no security group, so it gets the VPC's default group (allow-all egress).
# CKV_RSPEC_6 and CKV_RSPEC_7 pass.

resource "aws_vpc" "finance" {
  cidr_block = "10.80.0.0/16"
}

resource "aws_internet_gateway" "finance" {
  vpc_id = aws_vpc.finance.id
}

resource "aws_subnet" "edge" {
  vpc_id            = aws_vpc.finance.id
  cidr_block        = "10.80.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.finance.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.finance.id
  }
}

resource "aws_route_table_association" "edge" {
  subnet_id      = aws_subnet.edge.id
  route_table_id = aws_route_table.edge.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "finance" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.edge.id
}

resource "aws_route_table" "internal" {
  vpc_id = aws_vpc.finance.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.finance.id
  }
}

resource "aws_main_route_table_association" "finance" {
  vpc_id         = aws_vpc.finance.id
  route_table_id = aws_route_table.internal.id
}

resource "aws_subnet" "data_a" {
  vpc_id            = aws_vpc.finance.id
  cidr_block        = "10.80.10.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "data_b" {
  vpc_id            = aws_vpc.finance.id
  cidr_block        = "10.80.11.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_redshift_subnet_group" "finance" {
  name       = "finance"
  subnet_ids = [aws_subnet.data_a.id, aws_subnet.data_b.id]
}

resource "aws_redshift_cluster" "finance" {
  cluster_identifier        = "finance"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "finance"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.finance.name
}
