variable "name" {
  type = string
}

variable "lake_bucket" {
  type = string
}

resource "aws_iam_role" "spectrum" {
  name = var.name
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
        Sid      = "ReadLake"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::${var.lake_bucket}", "arn:aws:s3:::${var.lake_bucket}/*"]
      },
      {
        Sid      = "ReadCatalog"
        Effect   = "Allow"
        Action   = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"]
        Resource = "*"
      },
    ]
  })
}

output "role_arn" {
  value = aws_iam_role.spectrum.arn
}
