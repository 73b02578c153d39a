# A Spectrum role built from aws_iam_policy_document. Its base document trusts Redshift, but a merged-in
# "break glass" document also lets the whole account assume it with an ExternalId condition. The condition
# does not make the account a Redshift principal: CKV_RSPEC_5 fails on aws_iam_role.spectrum.
# aws_iam_role.audit trusts Redshift through a document with an override, and passes.

variable "account_id" {
  type = string
}

data "aws_iam_policy_document" "redshift_trust" {
  statement {
    sid     = "RedshiftAssume"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

data "aws_iam_policy_document" "break_glass" {
  statement {
    sid     = "BreakGlass"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["incident-response"]
    }
  }
}

data "aws_iam_policy_document" "spectrum_trust" {
  source_policy_documents = [
    data.aws_iam_policy_document.redshift_trust.json,
    data.aws_iam_policy_document.break_glass.json,
  ]
}

data "aws_iam_policy_document" "audit_trust" {
  source_policy_documents   = [data.aws_iam_policy_document.break_glass.json]
  override_policy_documents = [data.aws_iam_policy_document.redshift_trust_as_break_glass.json]
}

# Overrides the BreakGlass statement (same Sid) with a Redshift-only statement.
data "aws_iam_policy_document" "redshift_trust_as_break_glass" {
  statement {
    sid     = "BreakGlass"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "spectrum" {
  name               = "finance-spectrum"
  assume_role_policy = data.aws_iam_policy_document.spectrum_trust.json
}

resource "aws_iam_role" "audit" {
  name               = "finance-audit-spectrum"
  assume_role_policy = data.aws_iam_policy_document.audit_trust.json
}

resource "aws_redshift_cluster" "finance" {
  cluster_identifier     = "finance"
  node_type              = "ra3.4xlarge"
  number_of_nodes        = 2
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  iam_roles              = [aws_iam_role.spectrum.arn, aws_iam_role.audit.arn]
}
