# A Glue interface endpoint without private DNS (the provider's default): glue.<region>.amazonaws.com
# still resolves to the public endpoint, which this private VPC cannot reach. CKV_RSPEC_6 fails.
# The S3 gateway endpoint is on the route table: CKV_RSPEC_7 passes.

resource "aws_vpc" "analytics" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.analytics.id
  cidr_block        = cidrsubnet(aws_vpc.analytics.cidr_block, 8, count.index + 1)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.analytics.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "redshift" {
  name   = "analytics-redshift"
  vpc_id = aws_vpc.analytics.id

  egress {
    description = "HTTPS inside the VPC, to the interface endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.analytics.cidr_block]
  }

  egress {
    description     = "HTTPS to S3 through the gateway endpoint"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }

  ingress {
    description = "HTTPS from the cluster to the Glue endpoint, which shares this group"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    self        = true
  }
}

resource "aws_vpc_endpoint" "glue" {
  vpc_id             = aws_vpc.analytics.id
  service_name       = "com.amazonaws.eu-west-1.glue"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.redshift.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.analytics.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_redshift_subnet_group" "analytics" {
  name       = "analytics"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_redshift_cluster" "analytics" {
  cluster_identifier        = "analytics"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "analytics"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.analytics.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
