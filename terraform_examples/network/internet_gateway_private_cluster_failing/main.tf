# The same public subnets, but the cluster has no public IP: publicly_accessible is left out, and
# from AWS provider 6.0 on it defaults to false. Traffic to the internet gateway goes nowhere without
# a public IP. CKV_RSPEC_6 and CKV_RSPEC_7 fail.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

resource "aws_vpc" "marketing" {
  cidr_block = "10.91.0.0/16"
}

resource "aws_internet_gateway" "marketing" {
  vpc_id = aws_vpc.marketing.id
}

resource "aws_subnet" "public_a" {
  vpc_id            = aws_vpc.marketing.id
  cidr_block        = "10.91.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "public_b" {
  vpc_id            = aws_vpc.marketing.id
  cidr_block        = "10.91.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.marketing.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.marketing.id
  }
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "public_b" {
  subnet_id      = aws_subnet.public_b.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "redshift" {
  name   = "marketing-redshift"
  vpc_id = aws_vpc.marketing.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_redshift_subnet_group" "marketing" {
  name       = "marketing"
  subnet_ids = [aws_subnet.public_a.id, aws_subnet.public_b.id]
}

resource "aws_redshift_cluster" "marketing" {
  cluster_identifier        = "marketing"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  cluster_subnet_group_name = aws_redshift_subnet_group.marketing.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
