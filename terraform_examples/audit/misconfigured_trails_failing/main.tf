# An advertising lake with trails that look like auditing but do not record Spectrum's reads.
# - acme-ads-raw: its only selector is WriteOnly, so GetObject is never recorded (server access logging is on).
# - acme-ads-curated: an advanced selector covers daily/, but a Glue table also lives under hourly/; and the
#   audit trail records only the exports bucket. No server access logging either.
# CKV_RSPEC_8 fails on both buckets; CKV_RSPEC_9 passes on raw and fails on curated. The exports bucket is
# not read by Spectrum: no result.

resource "aws_iam_role" "spectrum" {
  name = "ads-spectrum"
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
  name = "read-ads"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::acme-ads-raw", "arn:aws:s3:::acme-ads-raw/*", "arn:aws:s3:::acme-ads-curated", "arn:aws:s3:::acme-ads-curated/*"]
    }]
  })
}

resource "aws_redshift_cluster" "ads" {
  cluster_identifier     = "ads"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "raw" {
  bucket = "acme-ads-raw"
}

resource "aws_s3_bucket_logging" "raw" {
  bucket        = "acme-ads-raw"
  target_bucket = "acme-ads-access-logs"
  target_prefix = "acme-ads-raw/"
}

resource "aws_s3_bucket" "curated" {
  bucket = "acme-ads-curated"
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-ads-exports"
}

resource "aws_glue_catalog_table" "impressions" {
  name          = "impressions"
  database_name = "ads"
  storage_descriptor {
    location = "s3://acme-ads-raw/impressions/"
  }
}

resource "aws_glue_catalog_table" "daily_spend" {
  name          = "daily_spend"
  database_name = "ads"
  storage_descriptor {
    location = "s3://acme-ads-curated/daily/spend/"
  }
}

resource "aws_glue_catalog_table" "hourly_spend" {
  name          = "hourly_spend"
  database_name = "ads"
  storage_descriptor {
    location = "s3://acme-ads-curated/hourly/spend/"
  }
}

resource "aws_cloudtrail" "ingest" {
  name           = "ads-ingest-writes"
  s3_bucket_name = "acme-ads-trail"

  event_selector {
    read_write_type = "WriteOnly"
    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.raw.arn}/"]
    }
  }
}

resource "aws_cloudtrail" "audit" {
  name           = "ads-audit"
  s3_bucket_name = "acme-ads-trail"

  advanced_event_selector {
    name = "Exports"
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
      starts_with = ["${aws_s3_bucket.exports.arn}/"]
    }
  }

  advanced_event_selector {
    name = "Curated daily reads"
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
      starts_with = ["arn:aws:s3:::acme-ads-curated/daily/"]
    }
  }
}
