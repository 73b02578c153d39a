# A platform split into local modules: the network, the Spectrum role and the lake each in their own, and the
# lake's bucket one module deeper (modules/lake/bucket). The cluster in the root takes its role from the iam
# module's output, so the role, its read grant and the bucket are all linked through module outputs.
# The lake's bucket policy admits only the network module's S3 gateway endpoint. Spectrum on a provisioned
# cluster reads S3 from AWS-managed addresses, outside the VPC: CKV_RSPEC_1 fails on the lake module's
# bucket policy. CKV_RSPEC_2 to CKV_RSPEC_7 pass; CKV_RSPEC_8 and CKV_RSPEC_9 fail on the bucket (no audit).

locals {
  lake_bucket = "acme-platform-raw"
}

module "network" {
  source = "./modules/network"

  name = "edge"
  cidr = "10.131.0.0/16"
  azs  = ["eu-west-1a", "eu-west-1b"]
}

module "iam" {
  source = "./modules/iam"

  name        = "edge-spectrum"
  lake_bucket = local.lake_bucket
}

module "lake" {
  source = "./modules/lake"

  bucket         = local.lake_bucket
  s3_endpoint_id = module.network.s3_endpoint_id
}

resource "aws_security_group" "redshift" {
  name   = "edge-redshift"
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

resource "aws_redshift_subnet_group" "edge" {
  name       = "edge"
  subnet_ids = module.network.private_subnet_ids
}

resource "aws_redshift_cluster" "edge" {
  cluster_identifier        = "edge"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  enhanced_vpc_routing      = true
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.edge.name
  vpc_security_group_ids    = [aws_security_group.redshift.id]
  iam_roles                 = [module.iam.role_arn]
}
