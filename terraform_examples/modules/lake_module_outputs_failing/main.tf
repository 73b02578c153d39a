# The Spectrum role's policy names its buckets by module outputs: `module.raw_zone.bucket_arn` and
# "${module.curated.arn}/*". Checkov copies each output's value into the policy as its module wrote it, and both
# modules wrote `aws_s3_bucket.this.arn`: the copies read alike. spectrum-guard reads which output each one is
# from the policy's Terraform source, and resolves it in the module instance that output belongs to.
# CKV_RSPEC_1 fails on the raw zone's bucket policy, inside its module, which admits only a VPC endpoint.
# The curated bucket's policy, written beside the role against the module's outputs, only requires TLS:
# CKV_RSPEC_1-4 pass on it. CKV_RSPEC_5 passes on the role. No trail or access log records the reads:
# CKV_RSPEC_8 and CKV_RSPEC_9 fail on both buckets.

module "raw_zone" {
  source = "./modules/zone"

  bucket         = "acme-outputs-raw"
  s3_endpoint_id = "vpce-0c1d2e3f405162738"
}

module "curated" {
  source = "./modules/bucket"

  name = "acme-outputs-curated"
}

resource "aws_s3_bucket_policy" "curated" {
  bucket = module.curated.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [module.curated.arn, "${module.curated.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_iam_role" "spectrum" {
  name = "outputs-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "lake_read" {
  name = "lake-read"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadRawZone"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [module.raw_zone.bucket_arn, "${module.raw_zone.bucket_arn}/*"]
      },
      {
        Sid      = "ReadCurated"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [module.curated.arn, "${module.curated.arn}/*"]
      },
    ]
  })
}

resource "aws_redshift_cluster" "outputs" {
  cluster_identifier     = "outputs"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}
