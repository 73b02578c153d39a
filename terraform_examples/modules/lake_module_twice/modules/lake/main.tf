variable "bucket" {
  type = string
}

variable "guard" {
  description = "The condition under which the bucket policy denies every request."
  type        = map(map(string))
}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Guard"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/*"]
      Condition = var.guard
    }]
  })
}

output "bucket_arn" {
  value = aws_s3_bucket.this.arn
}
