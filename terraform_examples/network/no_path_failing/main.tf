# Enhanced VPC routing in a VPC that is private through and through: no endpoint, no NAT gateway,
# no internet gateway. Spectrum queries fail on the Glue catalog lookup and COPY/UNLOAD on S3:
# CKV_RSPEC_6 and CKV_RSPEC_7 fail.

resource "aws_vpc" "warehouse" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.warehouse.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.warehouse.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.warehouse.id
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
  name   = "warehouse-redshift"
  vpc_id = aws_vpc.warehouse.id

  egress {
    description = "HTTPS to AWS services"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_redshift_subnet_group" "warehouse" {
  name       = "warehouse"
  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier        = "warehouse"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "warehouse"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.warehouse.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
