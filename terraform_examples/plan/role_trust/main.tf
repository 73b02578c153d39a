# The same role-trust scenarios as HCL, scanned as a `terraform show -json` plan (tfplan.json).
# Regenerate the plan with scripts/regenerate-plans.sh.

data "aws_iam_policy_document" "redshift_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "spectrum" {
  name               = "plan-review-spectrum"
  assume_role_policy = data.aws_iam_policy_document.redshift_trust.json
}

resource "aws_iam_role" "shared_etl" {
  name = "plan-review-shared-etl"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = ["redshift.amazonaws.com", "glue.amazonaws.com"] }
    }]
  })
}

resource "aws_redshift_cluster" "plan_review" {
  cluster_identifier     = "plan-review"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn, aws_iam_role.shared_etl.arn]
}
