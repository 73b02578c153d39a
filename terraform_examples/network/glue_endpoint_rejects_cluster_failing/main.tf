# A Glue interface endpoint with private DNS, and an S3 gateway endpoint on the private route table,
# but the endpoint's security group admits HTTPS only from the on-premises range, not from the cluster.
# The cluster's egress reaches the endpoint's network interfaces and is dropped there: CKV_RSPEC_6 fails,
# CKV_RSPEC_7 passes (a gateway endpoint has no security group).

resource "aws_vpc" "audit" {
  cidr_block = "10.95.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.audit.id
  cidr_block        = "10.95.${count.index + 1}.0/24"
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.audit.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "endpoints" {
  name   = "audit-endpoints"
  vpc_id = aws_vpc.audit.id

  ingress {
    description = "HTTPS from on-premises only"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["192.168.0.0/16"]
  }
}

resource "aws_vpc_endpoint" "glue" {
  vpc_id              = aws_vpc.audit.id
  service_name        = "com.amazonaws.eu-west-1.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.audit.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "redshift" {
  name   = "audit-redshift"
  vpc_id = aws_vpc.audit.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_redshift_subnet_group" "audit" {
  name       = "audit"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_redshift_cluster" "audit" {
  cluster_identifier        = "audit"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  database_name             = "audit"
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.audit.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
