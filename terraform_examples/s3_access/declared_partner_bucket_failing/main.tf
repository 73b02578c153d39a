# The storage team's repository: a bucket that a Redshift cluster in another repository reads with Spectrum.
# Nothing here names Redshift, so terraform_examples/.spectrum-guard.yaml declares the bucket. Its policy
# admits only the S3 endpoint: CKV_RSPEC_1 fails on aws_s3_bucket_policy.partner_exchange.

resource "aws_s3_bucket" "partner_exchange" {
  bucket = "acme-partner-exchange"
}

resource "aws_s3_bucket_policy" "partner_exchange" {
  bucket = aws_s3_bucket.partner_exchange.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OnlyThroughTheS3Endpoint"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.partner_exchange.arn, "${aws_s3_bucket.partner_exchange.arn}/*"]
        Condition = { StringNotEquals = { "aws:sourceVpce" = "vpce-0f1e2d3c4b5a69788" } }
      },
      {
        Sid       = "ReadForTheAnalyticsAccount"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:root" }
        Action    = ["s3:GetObject", "s3:ListBucket"]
        Resource  = [aws_s3_bucket.partner_exchange.arn, "${aws_s3_bucket.partner_exchange.arn}/*"]
      },
    ]
  })
}
