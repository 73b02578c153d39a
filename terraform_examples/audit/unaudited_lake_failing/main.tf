# A clickstream lake that Spectrum reads through a Glue table, and that nobody audits: no trail records its
# object reads and the bucket has no server access logging. Spectrum's reads never cross the VPC, so no VPC
# flow log shows them either. CKV_RSPEC_8 and CKV_RSPEC_9 fail on the bucket.

resource "aws_iam_role" "spectrum" {
  name = "clickstream-spectrum"
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
  name = "read-clickstream"
  role = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.clickstream.arn, "${aws_s3_bucket.clickstream.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["glue:GetDatabase*", "glue:GetTable*", "glue:GetPartition*"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_redshift_cluster" "analytics" {
  cluster_identifier     = "clickstream-analytics"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}

resource "aws_s3_bucket" "clickstream" {
  bucket = "acme-clickstream"
}

resource "aws_glue_catalog_database" "clickstream" {
  name = "clickstream"
}

resource "aws_glue_catalog_table" "page_views" {
  name          = "page_views"
  database_name = aws_glue_catalog_database.clickstream.name
  table_type    = "EXTERNAL_TABLE"
  storage_descriptor {
    location      = "s3://${aws_s3_bucket.clickstream.bucket}/page_views/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
  }
}
