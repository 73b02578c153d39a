# Two local modules, each instantiated twice: a lake module for a raw zone whose bucket policy admits only a
# VPC endpoint and a curated zone whose policy only requires TLS; a role module for the Spectrum role and a
# Glue ETL role. Checkov links every reference to an output of a module used twice to one of its instances
# (here the ETL role, for the cluster's role and the role policy); spectrum-guard reads which instance each
# reference names. CKV_RSPEC_1 fails on the raw instance's bucket policy and passes on the curated one's.
# CKV_RSPEC_5 passes on the Spectrum role; the ETL role, trusted by Glue and attached to no cluster, is not judged.
# No trail or access log records the reads: CKV_RSPEC_8 and CKV_RSPEC_9 fail on both buckets.

module "raw" {
  source = "./modules/lake"

  bucket = "acme-twice-raw"
  guard  = { StringNotEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f60718" } }
}

module "curated" {
  source = "./modules/lake"

  bucket = "acme-twice-curated"
  guard  = { Bool = { "aws:SecureTransport" = "false" } }
}

module "etl_role" {
  source = "./modules/role"

  name    = "twice-etl"
  service = "glue.amazonaws.com"
}

module "spectrum_role" {
  source = "./modules/role"

  name    = "twice-spectrum"
  service = "redshift.amazonaws.com"
}

resource "aws_iam_role_policy" "lake_read" {
  name = "lake-read"
  role = module.spectrum_role.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::acme-twice-raw/*", "arn:aws:s3:::acme-twice-curated/*"]
    }]
  })
}

resource "aws_redshift_cluster" "twice" {
  cluster_identifier     = "twice"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [module.spectrum_role.arn]
}
