# A security baseline copied AWS's bucket-policy example that refuses signatures older than ten minutes.
# Spectrum reads through presigned URLs it may use for an hour: CKV_RSPEC_2 fails on
# aws_s3_bucket_policy.events. The exports bucket allows a full hour: CKV_RSPEC_2 passes there.

resource "aws_iam_role" "spectrum" {
  name = "events-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
      Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }
    }]
  })

  inline_policy {
    name = "read-events"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [
          aws_s3_bucket.events.arn, "${aws_s3_bucket.events.arn}/*",
          aws_s3_bucket.exports.arn, "${aws_s3_bucket.exports.arn}/*",
        ]
      }]
    })
  }
}

resource "aws_redshift_cluster" "events" {
  cluster_identifier     = "events"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "events" {
  bucket = "acme-events"
}

resource "aws_s3_bucket_policy" "events" {
  bucket = aws_s3_bucket.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "BaselineSignatureAge"
    Statement = [{
      Sid       = "DenyOldSignatures"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = "${aws_s3_bucket.events.arn}/*"
      Condition = { NumericGreaterThan = { "s3:signatureAge" = "600000" } }
    }]
  })
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-events-exports"
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenySignaturesOlderThanAnHour"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = "${aws_s3_bucket.exports.arn}/*"
      Condition = { NumericGreaterThan = { "s3:signatureAge" = 3600000 } }
    }]
  })
}
