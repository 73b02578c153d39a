"""The bundled examples, scanned by real Checkov: the exact CKV_RSPEC_5 results, nothing more or less.

Each check family asserts its own results over the same shared scans (tests/checkov/conftest.py).
"""

ROLE_TRUST_TERRAFORM = {
    # Roles created in local modules; the ETL role of a role module used twice is attached to no cluster.
    ("CKV_RSPEC_5", "/modules/nested_spectrum_stack_passing/modules/iam/main.tf", "module.iam.aws_iam_role.spectrum",
     "PASSED"),
    ("CKV_RSPEC_5", "/modules/nested_spectrum_stack_vpce_only_failing/modules/iam/main.tf",
     "module.iam.aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/modules/lake_module_twice/modules/role/main.tf",
     "module.spectrum_role.aws_iam_role.this", "PASSED"),
    ("CKV_RSPEC_5", "/modules/lake_module_outputs_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/role_trust/cluster_jsonencode_passing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/role_trust/cluster_shared_with_glue_failing/main.tf", "aws_iam_role.lake_shared", "FAILED"),
    ("CKV_RSPEC_5", "/role_trust/cluster_policy_document_failing/main.tf", "aws_iam_role.spectrum", "FAILED"),
    ("CKV_RSPEC_5", "/role_trust/cluster_policy_document_failing/main.tf", "aws_iam_role.audit", "PASSED"),
    ("CKV_RSPEC_5", "/role_trust/serverless_namespace/main.tf", "aws_iam_role.lakehouse", "PASSED"),
    ("CKV_RSPEC_5", "/role_trust/serverless_namespace/main.tf", "aws_iam_role.data_science", "FAILED"),
    # The plan example's source is Terraform too.
    ("CKV_RSPEC_5", "/plan/role_trust/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/plan/role_trust/main.tf", "aws_iam_role.shared_etl", "FAILED"),
    ("CKV_RSPEC_5", "/plan/destroy_and_update/main.tf", "aws_iam_role.spectrum", "PASSED"),
    # The S3 access examples' Spectrum roles trust only Redshift.
    ("CKV_RSPEC_5", "/s3_access/vpce_restricted_lake_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/principal_restricted_lake_passing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/signature_age_limit_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/presigned_urls_blocked_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/serverless_vpce_lakehouse_passing/main.tf", "aws_iam_role.lakehouse", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/allow_list_without_spectrum_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/plan/s3_access/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/templatefile_vpce_policy_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/template_file_principal_passing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    # So do the read-audit examples' roles.
    ("CKV_RSPEC_5", "/audit/unaudited_lake_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/audit/audited_lake_passing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/audit/misconfigured_trails_failing/main.tf", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/plan/audit/main.tf", "aws_iam_role.spectrum", "PASSED"),
}

ROLE_TRUST_PLAN = {
    ("CKV_RSPEC_5", "/plan/role_trust/tfplan.json", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/plan/role_trust/tfplan.json", "aws_iam_role.shared_etl", "FAILED"),
    # Judged as planned, not as in prior_state (which trusts Glue too). aws_iam_role.shared_etl, which trusts
    # Glue and which the plan destroys, gets no finding.
    ("CKV_RSPEC_5", "/plan/destroy_and_update/tfplan.json", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/plan/s3_access/tfplan.json", "aws_iam_role.spectrum", "PASSED"),
    ("CKV_RSPEC_5", "/plan/audit/tfplan.json", "aws_iam_role.spectrum", "PASSED"),
}

ROLE_TRUST_CLOUDFORMATION = {
    ("CKV_RSPEC_5", "/role_trust/provisioned_cluster.yaml", "AWS::IAM::Role.SpectrumRole", "PASSED"),
    ("CKV_RSPEC_5", "/role_trust/provisioned_cluster.yaml", "AWS::IAM::Role.EtlSharedRole", "FAILED"),
    ("CKV_RSPEC_5", "/role_trust/serverless_namespace.json", "AWS::IAM::Role.LakehouseRole", "PASSED"),
    ("CKV_RSPEC_5", "/role_trust/serverless_namespace.json", "AWS::IAM::Role.NotebookRole", "FAILED"),
    ("CKV_RSPEC_5", "/cdk/LakeStack.template.json", "AWS::IAM::Role.SpectrumRole4E1D3B2A", "PASSED"),
    ("CKV_RSPEC_5", "/cdk/LakeStack.template.json", "AWS::IAM::Role.IngestRoleA1B2C3D4", "FAILED"),
    ("CKV_RSPEC_5", "/s3_access/data_lake_restricted_failing.yaml", "AWS::IAM::Role.SpectrumRole", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/data_lake_principal_passing.yaml", "AWS::IAM::Role.SpectrumRole", "PASSED"),
    ("CKV_RSPEC_5", "/s3_access/lakehouse_serverless_failing.json", "AWS::IAM::Role.LakehouseRole", "PASSED"),
    ("CKV_RSPEC_5", "/audit/data_lake_audit.yaml", "AWS::IAM::Role.AuditedLakeSpectrumRole", "PASSED"),
    ("CKV_RSPEC_5", "/audit/lakehouse_advanced_selectors.json", "AWS::IAM::Role.EventsLakehouseRole", "PASSED"),
    ("CKV_RSPEC_5", "/conditions/vpce_only_in_prod_failing.yaml", "AWS::IAM::Role.SpectrumRole", "PASSED"),
    ("CKV_RSPEC_5", "/conditions/guarded_bucket_policy_failing.yaml", "AWS::IAM::Role.LandingRole", "PASSED"),
    # The SAM function's execution role is the namespace's role: Lambda may assume it too.
    ("CKV_RSPEC_5", "/sam/spectrum_loader.yaml", "AWS::IAM::Role.LakehouseRole", "FAILED"),
    # A nested stack is scanned as a template of its own; the parent's cluster does not link to it.
    ("CKV_RSPEC_5", "/nested/spectrum_role.yaml", "AWS::IAM::Role.SpectrumRole", "PASSED"),
}


def test_terraform_examples(terraform_examples_scan):
    assert terraform_examples_scan.results("CKV_RSPEC_5") == ROLE_TRUST_TERRAFORM | ROLE_TRUST_PLAN


def test_cloudformation_examples(cloudformation_examples_scan):
    assert cloudformation_examples_scan.results("CKV_RSPEC_5") == ROLE_TRUST_CLOUDFORMATION


def test_failures_say_what_breaks_and_how_to_fix(terraform_examples_scan, cloudformation_examples_scan):
    terraform_scan, cloudformation_scan = terraform_examples_scan, cloudformation_examples_scan
    glue = terraform_scan.details[
        ("CKV_RSPEC_5", "/role_trust/cluster_shared_with_glue_failing/main.tf", "aws_iam_role.lake_shared")
    ]
    assert len(glue) == 1
    assert "glue.amazonaws.com" in glue[0] and "aws_redshift_cluster.reporting" in glue[0] and "Fix:" in glue[0]
    notebook = cloudformation_scan.details[
        ("CKV_RSPEC_5", "/role_trust/serverless_namespace.json", "AWS::IAM::Role.NotebookRole")
    ]
    assert "NotPrincipal" in notebook[0] and "EveryoneButContractors" in notebook[0]


def test_no_errors_logged(terraform_examples_scan, cloudformation_examples_scan):
    for one in (terraform_examples_scan, cloudformation_examples_scan):
        assert "ERROR" not in one.stderr, one.stderr
