# The route exists (default route to a NAT gateway), but the cluster's only security group allows
# egress to the VPC on the Redshift port alone. The Terraform AWS provider removes AWS's default
# allow-all egress rule from every group it creates, so HTTPS to Glue and S3 is blocked.
# CKV_RSPEC_6 and CKV_RSPEC_7 fail.

resource "aws_vpc" "ops" {
  cidr_block = "10.100.0.0/16"
}

resource "aws_internet_gateway" "ops" {
  vpc_id = aws_vpc.ops.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.ops.id
  cidr_block        = "10.100.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.ops.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.ops.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "ops" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.ops.id
  cidr_block        = "10.100.10.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.ops.id
  cidr_block        = "10.100.11.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.ops.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.ops.id
  }
}

resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "redshift" {
  name   = "ops-redshift"
  vpc_id = aws_vpc.ops.id

  egress {
    description = "Redshift to Redshift inside the VPC only"
    from_port   = 5439
    to_port     = 5439
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.ops.cidr_block]
  }
}

resource "aws_redshift_subnet_group" "ops" {
  name       = "ops"
  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
}

resource "aws_redshift_cluster" "ops" {
  cluster_identifier        = "ops"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.ops.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
