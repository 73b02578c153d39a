# A provisioned cluster whose Spectrum role trusts only the Redshift service: CKV_RSPEC_5 passes.

variable "environment" {
  type    = string
  default = "prod"
}

locals {
  redshift_principal = "redshift.amazonaws.com"
}

resource "aws_iam_role" "spectrum" {
  name = "analytics-${var.environment}-spectrum"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "RedshiftAssume"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = local.redshift_principal }
      }
    ]
  })
}

resource "aws_iam_role_policy_attachment" "spectrum_glue" {
  role       = aws_iam_role.spectrum.name
  policy_arn = "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess"
}

resource "aws_redshift_cluster" "analytics" {
  cluster_identifier     = "analytics-${var.environment}"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  database_name          = "analytics"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
  default_iam_role_arn   = aws_iam_role.spectrum.arn
}
