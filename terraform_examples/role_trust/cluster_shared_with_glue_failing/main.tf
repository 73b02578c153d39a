# One role reused by Glue jobs and by the cluster: Glue can assume the cluster's role, so CKV_RSPEC_5 fails.
# The regional Redshift principal is accepted; glue.amazonaws.com is not.

resource "aws_iam_role" "lake_shared" {
  name = "lake-shared-access"

  assume_role_policy = <<EOF_POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Service": [
          "redshift.eu-west-1.amazonaws.com",
          "glue.amazonaws.com"
        ]
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF_POLICY
}

resource "aws_redshift_cluster" "reporting" {
  cluster_identifier     = "reporting"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
}

resource "aws_redshift_cluster_iam_roles" "reporting" {
  cluster_identifier = aws_redshift_cluster.reporting.cluster_identifier
  iam_role_arns      = [aws_iam_role.lake_shared.arn]
}
