variable "bucket" {
  type = string
}

variable "s3_endpoint_id" {
  description = "Only requests through this S3 gateway endpoint reach the bucket."
  type        = string
}

resource "aws_s3_bucket" "zone" {
  bucket = var.bucket
}

resource "aws_s3_bucket_public_access_block" "zone" {
  bucket                  = aws_s3_bucket.zone.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "zone" {
  bucket = aws_s3_bucket.zone.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OnlyThroughTheS3Endpoint"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.zone.arn, "${aws_s3_bucket.zone.arn}/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = var.s3_endpoint_id } }
    }]
  })
}

output "bucket_arn" {
  value = aws_s3_bucket.zone.arn
}

output "bucket_id" {
  value = aws_s3_bucket.zone.id
}
