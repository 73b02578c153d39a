# A sales lake whose Spectrum reads are audited both ways AWS documents.
# - acme-sales-lake: a trail's basic event selector records reads of every object (the bucket's ARN followed
#   by "/"), and aws_s3_bucket_logging turns on server access logging.
# - acme-sales-curated: an advanced event selector records reads under daily/, which holds every Glue table
#   Spectrum reads there; the bucket's legacy logging block turns on server access logging.
# CKV_RSPEC_8 and CKV_RSPEC_9 pass on both. The log and trail buckets are not Spectrum buckets: no result.

resource "aws_iam_role" "spectrum" {
  name = "sales-spectrum"
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
  name = "read-sales"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = ["s3:GetObject", "s3:ListBucket"]
      Resource = [
        aws_s3_bucket.lake.arn, "${aws_s3_bucket.lake.arn}/*",
        aws_s3_bucket.curated.arn, "${aws_s3_bucket.curated.arn}/*",
      ]
    }]
  })
}

resource "aws_redshift_cluster" "sales" {
  cluster_identifier     = "sales"
  node_type              = "ra3.4xlarge"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "lake" {
  bucket = "acme-sales-lake"
}

resource "aws_s3_bucket" "curated" {
  bucket = "acme-sales-curated"
  logging {
    target_bucket = aws_s3_bucket.access_logs.id
    target_prefix = "acme-sales-curated/"
  }
}

resource "aws_glue_catalog_table" "orders" {
  name          = "orders"
  database_name = "sales"
  storage_descriptor {
    location = "s3://${aws_s3_bucket.lake.bucket}/orders/"
  }
}

resource "aws_glue_catalog_table" "daily_revenue" {
  name          = "daily_revenue"
  database_name = "sales"
  storage_descriptor {
    location = "s3://${aws_s3_bucket.curated.bucket}/daily/revenue/"
  }
}

resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-sales-access-logs"
}

resource "aws_s3_bucket_logging" "lake" {
  bucket        = aws_s3_bucket.lake.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "acme-sales-lake/"
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-sales-trail"
}

resource "aws_cloudtrail" "lake_reads" {
  name           = "sales-lake-reads"
  s3_bucket_name = aws_s3_bucket.trail.id

  event_selector {
    read_write_type           = "ReadOnly"
    include_management_events = false
    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.lake.arn}/"]
    }
  }
}

# An organisation trail in the scan counts like any other trail.
resource "aws_cloudtrail" "curated_reads" {
  name                  = "sales-curated-reads"
  s3_bucket_name        = aws_s3_bucket.trail.id
  is_organization_trail = true
  is_multi_region_trail = true

  advanced_event_selector {
    name = "Reads of the curated daily tables"
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
      equals = ["true"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["${aws_s3_bucket.curated.arn}/daily/"]
    }
  }
}
