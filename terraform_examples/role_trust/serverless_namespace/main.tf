# Redshift Serverless. The namespace role trusts redshift-serverless and redshift: CKV_RSPEC_5 passes.
# A second namespace reuses a role that SageMaker may also assume ("sts:*"): CKV_RSPEC_5 fails.

resource "aws_iam_role" "lakehouse" {
  name = "lakehouse-serverless"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = {
      Effect = "Allow"
      Action = "sts:AssumeRole"
      Principal = {
        Service = ["redshift-serverless.amazonaws.com", "redshift.amazonaws.com"]
      }
    }
  })
}

resource "aws_iam_role" "data_science" {
  name = "data-science-shared"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:*"
        Principal = { Service = ["redshift-serverless.amazonaws.com", "sagemaker.amazonaws.com"] }
      }
    ]
  })
}

resource "aws_redshiftserverless_namespace" "lakehouse" {
  namespace_name       = "lakehouse"
  iam_roles            = [aws_iam_role.lakehouse.arn]
  default_iam_role_arn = aws_iam_role.lakehouse.arn
}

resource "aws_redshiftserverless_workgroup" "lakehouse" {
  namespace_name = aws_redshiftserverless_namespace.lakehouse.namespace_name
  workgroup_name = "lakehouse"
  base_capacity  = 32
}

resource "aws_redshiftserverless_namespace" "data_science" {
  namespace_name = "data-science"
  iam_roles      = [aws_iam_role.data_science.arn]
}
