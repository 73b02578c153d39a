# The private subnets send 0.0.0.0/0 to a NAT gateway, but the NAT gateway's own subnet was never
# associated with the public route table: it uses the VPC's main route table, which has no route to the
# internet gateway. The NAT gateway has nowhere to send the traffic, so CKV_RSPEC_6 and CKV_RSPEC_7 fail.
# (A private NAT gateway, connectivity_type = "private", fails the same way: an internet gateway drops its
# traffic.)

resource "aws_vpc" "billing" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_internet_gateway" "billing" {
  vpc_id = aws_vpc.billing.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.billing.id
  cidr_block              = "10.90.0.0/24"
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.billing.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.billing.id
  }
}

# Missing: aws_route_table_association of aws_subnet.public with aws_route_table.public.

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "billing" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.billing.id
  cidr_block        = "10.90.${count.index + 10}.0/24"
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.billing.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.billing.id
  }
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "redshift" {
  name   = "billing-redshift"
  vpc_id = aws_vpc.billing.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_redshift_subnet_group" "billing" {
  name       = "billing"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_redshift_cluster" "billing" {
  cluster_identifier        = "billing"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "billing"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.billing.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
