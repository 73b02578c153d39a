# Read auditing reviewed as a `terraform show -json` plan (tfplan.json). Regenerate it with
# scripts/regenerate-plans.sh.
#
# plan-audit-lake: an advanced event selector records reads of all its objects, and aws_s3_bucket_logging
# (linked by reference, whose value the plan computes at apply time) turns on server access logging:
# CKV_RSPEC_8 and CKV_RSPEC_9 pass. plan-audit-staging: the same trail records only its writes, and it has no
# logging: both fail.

resource "aws_iam_role" "spectrum" {
  name = "plan-audit-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "spectrum_read" {
  name = "read-lake"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = ["s3:GetObject", "s3:ListBucket"]
      Resource = [
        "arn:aws:s3:::plan-audit-lake", "arn:aws:s3:::plan-audit-lake/*",
        "arn:aws:s3:::plan-audit-staging", "arn:aws:s3:::plan-audit-staging/*",
      ]
    }]
  })
}

resource "aws_redshift_cluster" "lake" {
  cluster_identifier     = "plan-audit"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "lake" {
  bucket = "plan-audit-lake"
}

resource "aws_s3_bucket" "staging" {
  bucket = "plan-audit-staging"
}

resource "aws_s3_bucket_logging" "lake" {
  bucket        = aws_s3_bucket.lake.id
  target_bucket = "plan-audit-access-logs"
  target_prefix = "plan-audit-lake/"
}

resource "aws_cloudtrail" "lake" {
  name           = "plan-audit-lake"
  s3_bucket_name = "plan-audit-trail"

  advanced_event_selector {
    name = "Lake reads and writes"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["arn:aws:s3:::plan-audit-lake/"]
    }
  }

  advanced_event_selector {
    name = "Staging writes"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field  = "readOnly"
      equals = ["false"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["arn:aws:s3:::plan-audit-staging/"]
    }
  }
}
