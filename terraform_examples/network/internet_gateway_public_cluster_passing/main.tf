# A publicly accessible cluster in public subnets: with enhanced VPC routing, its Glue and S3 traffic
# leaves through the internet gateway. CKV_RSPEC_6 and CKV_RSPEC_7 pass (Checkov's CKV_AWS_87 still
# fails the public cluster; an endpoint is the better way).

resource "aws_vpc" "sandbox" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_internet_gateway" "sandbox" {
  vpc_id = aws_vpc.sandbox.id
}

resource "aws_subnet" "public_a" {
  vpc_id            = aws_vpc.sandbox.id
  cidr_block        = "10.90.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "public_b" {
  vpc_id            = aws_vpc.sandbox.id
  cidr_block        = "10.90.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.sandbox.id
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.sandbox.id
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
  name   = "sandbox-redshift"
  vpc_id = aws_vpc.sandbox.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_redshift_subnet_group" "sandbox" {
  name       = "sandbox"
  subnet_ids = [aws_subnet.public_a.id, aws_subnet.public_b.id]
}

resource "aws_redshift_cluster" "sandbox" {
  cluster_identifier        = "sandbox"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 1
  cluster_type              = "single-node"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = true
  cluster_subnet_group_name = aws_redshift_subnet_group.sandbox.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
