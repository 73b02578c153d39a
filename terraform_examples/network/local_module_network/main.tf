# The network comes from a local module; its outputs feed the subnet group, the endpoint and the
# security group. The module's private subnets use its private route table, which carries the S3
# gateway endpoint; the root adds the Glue interface endpoint. CKV_RSPEC_6 and CKV_RSPEC_7 pass.

module "network" {
  source = "./modules/network"

  name = "platform"
  cidr = "10.120.0.0/16"
  azs  = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_security_group" "redshift" {
  name   = "platform-redshift"
  vpc_id = module.network.vpc_id
}

# The Glue endpoint shares the cluster's group: the group must admit the cluster's HTTPS to the endpoint.
resource "aws_vpc_security_group_ingress_rule" "https_from_cluster" {
  security_group_id            = aws_security_group.redshift.id
  referenced_security_group_id = aws_security_group.redshift.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_egress_rule" "https_in_vpc" {
  security_group_id = aws_security_group.redshift.id
  cidr_ipv4         = module.network.vpc_cidr_block
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "https_to_s3" {
  security_group_id = aws_security_group.redshift.id
  prefix_list_id    = module.network.s3_prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_endpoint" "glue" {
  vpc_id              = module.network.vpc_id
  service_name        = "com.amazonaws.eu-west-1.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = module.network.private_subnet_ids
  security_group_ids  = [aws_security_group.redshift.id]
}

resource "aws_redshift_subnet_group" "platform" {
  name       = "platform"
  subnet_ids = module.network.private_subnet_ids
}

resource "aws_redshift_cluster" "platform" {
  cluster_identifier        = "platform"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.platform.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
}
