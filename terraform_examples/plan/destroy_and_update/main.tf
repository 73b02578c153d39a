# A plan against existing state (terraform.tfstate, written by hand: the plan is made offline, with no refresh).
# Regenerate the plan with scripts/regenerate-plans.sh.
#
# aws_iam_role.shared_etl is in the state only: the plan destroys it. Glue and Redshift may both assume it,
# but a resource being destroyed gets no finding.
# aws_iam_role.spectrum is in the state with the same Glue-and-Redshift trust (prior_state); the plan updates
# it in place to trust Redshift only. It is judged as planned: CKV_RSPEC_5 passes.

resource "aws_iam_role" "spectrum" {
  name = "plan-update-spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "redshift.amazonaws.com" }
    }]
  })
}

resource "aws_redshift_cluster" "plan_update" {
  cluster_identifier     = "plan-update"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn]
}
