"""Adversarial CKV_RSPEC_1 to CKV_RSPEC_4 fixtures, scanned by real Checkov: exact results per check."""
from __future__ import annotations

from typing import Optional

import pytest

from checkov_runner import REPO, scan

FIXTURES = REPO / "tests" / "fixtures" / "s3_access"
CHECKS = ("CKV_RSPEC_1", "CKV_RSPEC_2", "CKV_RSPEC_3", "CKV_RSPEC_4")
TF = "/main.tf"
CFN = "/template.yaml"
CONDITIONS = "/conditions.yaml"
FAILED, SKIPPED = "FAILED", "SKIPPED"
# UNKNOWN, which Checkov leaves out of its reports, or reported on another resource.
NOT_REPORTED = None


def rows(file_path: str, resource: str, **outcomes: Optional[str]) -> set:
    """One result per check on the resource: PASSED unless `outcomes` says otherwise (CKV_RSPEC_1=FAILED),
    or none at all (NOT_REPORTED)."""
    found = set()
    for check in CHECKS:
        outcome = outcomes.get(check, "PASSED")
        if outcome is not NOT_REPORTED:
            found.add((check, file_path, resource, outcome))
    return found


def policy(name: str, file_path: str = TF, **outcomes: Optional[str]) -> set:
    return rows(file_path, f"aws_s3_bucket_policy.{name}", **outcomes)


def bucket_policy(name: str, file_path: str = CFN, **outcomes: Optional[str]) -> set:
    return rows(file_path, f"AWS::S3::BucketPolicy.{name}Policy", **outcomes)


@pytest.fixture(scope="module")
def terraform_scan():
    return scan("-d", str(FIXTURES / "terraform"), "--check", "CKV_RSPEC_*", frameworks=("terraform",))


@pytest.fixture(scope="module")
def cloudformation_scan():
    return scan("-d", str(FIXTURES / "cloudformation"), "--check", "CKV_RSPEC_*", frameworks=("cloudformation",))


TERRAFORM = (
    policy("mixed_case_failing", CKV_RSPEC_1=FAILED)
    | policy("mixed_case_passing")
    | policy("single_statement_failing", CKV_RSPEC_2=FAILED)
    | policy("single_statement_passing")
    | policy("if_exists_failing", CKV_RSPEC_1=FAILED)
    | policy("if_exists_passing")
    | policy("exempting_deny_passing")
    | policy("exempting_deny_failing", CKV_RSPEC_1=FAILED)
    | policy("vpce_allow_only_passing")
    # The second cluster's role allows reads only through the endpoint: reported on its policy, not the bucket.
    | {("CKV_RSPEC_1", TF, "aws_iam_role_policy.vpce_only", FAILED)}
    | rows(TF, "aws_s3_bucket.vpce_only_lake", CKV_RSPEC_1=NOT_REPORTED)
    | policy("transport_passing")
    | policy("transport_failing", CKV_RSPEC_4=FAILED)
    # The key is absent from Spectrum's request, so the unresolved CIDRs do not matter.
    | policy("unresolved_network_failing", CKV_RSPEC_1=FAILED)
    | policy("unresolved_network_passing")
    | policy("unresolved_age_unknown", CKV_RSPEC_2=NOT_REPORTED)  # UNKNOWN: the limit is a variable
    | policy("literal_age_passing")
    | policy("glue_table_failing", CKV_RSPEC_1=FAILED)
    | policy("glue_crawler_passing")
    | policy("serverless_passing")
    | policy("document_failing", CKV_RSPEC_3=FAILED)
    | policy("document_passing")
    | policy("jsonencode_failing", CKV_RSPEC_2=FAILED)
    | policy("jsonencode_passing")
    | policy("heredoc_failing", CKV_RSPEC_4=FAILED)
    | policy("heredoc_passing")
    | policy("skipped", CKV_RSPEC_1=SKIPPED)
    # Its only policy has count = 0: judged as a bucket without a policy, reported on the bucket.
    | rows(TF, "aws_s3_bucket.policy_counted_out")
)

CLOUDFORMATION = (
    bucket_policy("MixedCaseFailing", CKV_RSPEC_1=FAILED)
    | bucket_policy("MixedCasePassing")
    | bucket_policy("SingleStatementFailing", CKV_RSPEC_3=FAILED)
    | bucket_policy("SingleStatementPassing")
    | bucket_policy("IfExistsFailing", CKV_RSPEC_2=FAILED)
    | bucket_policy("IfExistsPassing")
    | bucket_policy("ExemptingDenyPassing")
    | bucket_policy("ExemptingDenyFailing", CKV_RSPEC_1=FAILED)
    | bucket_policy("VpceAllowOnlyPassing")
    | {("CKV_RSPEC_1", CFN, "AWS::IAM::Policy.VpceOnlyRead", FAILED)}
    | rows(CFN, "AWS::S3::Bucket.VpceOnlyLake", CKV_RSPEC_1=NOT_REPORTED)
    | bucket_policy("TransportPassing")
    | bucket_policy("TransportFailing", CKV_RSPEC_4=FAILED)
    | bucket_policy("UnresolvedNetworkFailing", CKV_RSPEC_1=FAILED)
    | bucket_policy("UnresolvedNetworkPassing")
    | bucket_policy("UnresolvedAgeUnknown", CKV_RSPEC_2=NOT_REPORTED)  # UNKNOWN: the limit is a parameter
    | bucket_policy("GlueTableFailing", CKV_RSPEC_1=FAILED)
    | bucket_policy("GlueTablePassing")
    | bucket_policy("ServerlessPassing", file_path="/serverless.json")
    | bucket_policy("Skipped", CKV_RSPEC_1=SKIPPED)
    # Endpoint-only Denies behind Fn::If: FAILED only when some parameter value reaches the branch.
    | bucket_policy("UnreachableBranchPassing", CONDITIONS)  # Environment is dev or test, never prod
    | bucket_policy("FreeParameterFailing", CONDITIONS, CKV_RSPEC_1=FAILED)  # Stage may be "live"
    | bucket_policy("ImportedConditionFailing", CONDITIONS, CKV_RSPEC_1=FAILED)  # the import may be "prod"
    | bucket_policy("MappedConditionPassing", CONDITIONS)  # dev maps to false; test has no entry, so no stack
    # The Deny's resource is an import, or a mapping entry that does not exist.
    | bucket_policy("ImportedResourceUnknown", CONDITIONS, CKV_RSPEC_1=NOT_REPORTED)
    | bucket_policy("MissingMapKeyUnknown", CONDITIONS, CKV_RSPEC_1=NOT_REPORTED)
)


def test_terraform_results(terraform_scan):
    assert terraform_scan.results(*CHECKS) == TERRAFORM
    assert terraform_scan.results("CKV_RSPEC_5") == {
        ("CKV_RSPEC_5", TF, f"aws_iam_role.{name}", "PASSED") for name in ("spectrum", "vpce_only", "lakehouse")
    }


def test_cloudformation_results(cloudformation_scan):
    assert cloudformation_scan.results(*CHECKS) == CLOUDFORMATION
    assert cloudformation_scan.results("CKV_RSPEC_5") == {
        ("CKV_RSPEC_5", CFN, "AWS::IAM::Role.SpectrumRole", "PASSED"),
        ("CKV_RSPEC_5", CFN, "AWS::IAM::Role.VpceOnlyRole", "PASSED"),
        ("CKV_RSPEC_5", "/serverless.json", "AWS::IAM::Role.LakehouseRole", "PASSED"),
        ("CKV_RSPEC_5", CONDITIONS, "AWS::IAM::Role.ConditionsRole", "PASSED"),
    }


def test_a_reachable_branch_is_explained_by_the_values_that_reach_it(cloudformation_scan):
    [free] = cloudformation_scan.details[
        ("CKV_RSPEC_1", CONDITIONS, "AWS::S3::BucketPolicy.FreeParameterFailingPolicy")
    ]
    assert free.startswith("When IsLive is true (for example Stage = 'live'")
    [imported] = cloudformation_scan.details[
        ("CKV_RSPEC_1", CONDITIONS, "AWS::S3::BucketPolicy.ImportedConditionFailingPolicy")
    ]
    assert imported.startswith("When ImportedProd is true")


@pytest.mark.parametrize("scan_name, resource", [
    ("terraform_scan", "aws_s3_bucket_policy.unresolved_age_unknown"),
    ("cloudformation_scan", "AWS::S3::BucketPolicy.UnresolvedAgeUnknownPolicy"),
])
def test_an_unresolved_signature_age_limit_is_logged_as_unknown(request, scan_name, resource):
    lines = [
        line for line in request.getfixturevalue(scan_name).stderr.splitlines() if f"UNKNOWN for {resource}" in line
    ]
    assert len(lines) == 1 and "CKV_RSPEC_2" in lines[0] and "WARNI" in lines[0] and "s3:signatureage" in lines[0]


def test_a_resource_with_count_zero_gets_no_result_and_no_log(terraform_scan):
    assert "aws_s3_bucket_policy.policy_counted_out" not in terraform_scan.stderr
    assert not [result for result in terraform_scan.results(*CHECKS) if "policy_counted_out" in result[2]
                and result[2] != "aws_s3_bucket.policy_counted_out"]


def test_no_errors_logged(terraform_scan, cloudformation_scan):
    for one in (terraform_scan, cloudformation_scan):
        assert "ERROR" not in one.stderr, one.stderr


def test_a_skip_keeps_its_reason_and_the_other_checks(terraform_scan, cloudformation_scan):
    comments = [
        check["check_result"]["suppress_comment"]
        for one in (terraform_scan, cloudformation_scan)
        for check in one.raw["results"]["skipped_checks"]
    ]
    assert comments == [
        "Spectrum reads this bucket through a replica; the endpoint restriction is deliberate",
        "Spectrum reads this bucket through a replica",
    ]


def test_messages_name_the_statement_and_the_condition(terraform_scan, cloudformation_scan):
    [heredoc] = terraform_scan.details[("CKV_RSPEC_4", TF, "aws_s3_bucket_policy.heredoc_failing")]
    assert "OnlyEtl" in heredoc and "fx-heredoc-failing" in heredoc and "aws_iam_role.spectrum" in heredoc
    [vpce_only] = terraform_scan.details[("CKV_RSPEC_1", TF, "aws_iam_role_policy.vpce_only")]
    assert "allows s3:GetObject only when StringEquals aws:sourcevpce" in vpce_only
    [glue] = cloudformation_scan.details[("CKV_RSPEC_1", CFN, "AWS::S3::BucketPolicy.GlueTableFailingPolicy")]
    assert "lake-glue-table-failing" in glue and "Ref EndpointId" in glue


@pytest.mark.parametrize("kind, outcome_of_the_limit", [("scp_failing", FAILED), ("scp_passing", "PASSED")])
def test_an_scp_in_the_scan_applies_to_every_reader(kind, outcome_of_the_limit):
    found = scan("-d", str(FIXTURES / kind), "--check", "CKV_RSPEC_*", frameworks=("terraform", "cloudformation"))
    if outcome_of_the_limit == FAILED:
        expected = (
            rows(TF, "aws_s3_bucket.lake", CKV_RSPEC_2=NOT_REPORTED)
            | {("CKV_RSPEC_2", TF, "aws_organizations_policy.guardrails", FAILED)}
            | rows(CFN, "AWS::S3::Bucket.Lake", CKV_RSPEC_2=NOT_REPORTED)
            | {("CKV_RSPEC_2", CFN, "AWS::Organizations::Policy.Guardrails", FAILED)}
        )
    else:
        expected = rows(TF, "aws_s3_bucket.lake") | rows(CFN, "AWS::S3::Bucket.Lake")
    assert found.results(*CHECKS) == expected


def test_declared_buckets_and_threshold():
    found = scan("-d", str(FIXTURES / "declared"), "--check", "CKV_RSPEC_*", frameworks=("terraform", "cloudformation"))
    assert found.results(*CHECKS) == (
        policy("partner_vpce", CKV_RSPEC_1=FAILED)
        # The configured threshold is 900000 ms: a 30-minute limit passes, a 10-minute one does not.
        | policy("partner_thirty_minutes")
        | policy("partner_ten_minutes", CKV_RSPEC_2=FAILED)
        # Declared as read by a Serverless workgroup: no network-origin finding.
        | policy("lakehouse_share")
        # In another account than the declared role, and its policy grants another role.
        | policy("cross_account_share", CKV_RSPEC_4=FAILED)
        | bucket_policy("PartnerCfn", CKV_RSPEC_1=FAILED)
        | bucket_policy("CrossAccountShare")
    )
    [cross_account] = found.details[("CKV_RSPEC_4", TF, "aws_s3_bucket_policy.cross_account_share")]
    assert "which a read from another account needs" in cross_account
    assert "arn:aws:iam::444455556666:role/analytics-spectrum" in cross_account


def test_the_environment_variable_names_the_configuration(tmp_path):
    (tmp_path / "elsewhere.yaml").write_text("spectrum_buckets: [internal-vpce]\n")
    found = scan(
        "-f", str(FIXTURES / "declared" / "main.tf"), "--check", "CKV_RSPEC_1", frameworks=("terraform",),
        env={"SPECTRUM_GUARD_CONFIG": str(tmp_path / "elsewhere.yaml")},
    )
    assert found.results("CKV_RSPEC_1") == {("CKV_RSPEC_1", TF, "aws_s3_bucket_policy.internal", FAILED)}


@pytest.mark.parametrize("parallelization", ["fork", "thread", "none"])
def test_a_bad_configuration_stops_the_scan(tmp_path, parallelization):
    (tmp_path / "main.tf").write_text((FIXTURES / "declared" / "main.tf").read_text())
    (tmp_path / ".spectrum-guard.yaml").write_text("spectrum_buckets:\n  - name: partner-*\n    reader: vpc\n")
    found = scan(
        "-d", str(tmp_path), "--check", "CKV_RSPEC_*", frameworks=("terraform",),
        env={"CHECKOV_PARALLELIZATION_TYPE": parallelization},
    )
    assert found.returncode == 2
    assert found.findings == []
    message = (
        f"invalid spectrum-guard configuration {tmp_path / '.spectrum-guard.yaml'}: "
        "spectrum_buckets[0].reader: must be provisioned or serverless, not 'vpc'. The scan stops."
    )
    assert message in found.stderr


def test_a_bad_configuration_does_not_stop_a_scan_without_these_checks(tmp_path):
    (tmp_path / "main.tf").write_text((FIXTURES / "declared" / "main.tf").read_text())
    (tmp_path / ".spectrum-guard.yaml").write_text("spectrum_roles: not-a-list\n")
    found = scan("-d", str(tmp_path), "--check", "CKV_AWS_70", frameworks=("terraform",))
    assert found.returncode in (0, 1) and "spectrum-guard" not in found.stderr


TEMPLATE_UNKNOWNS = {
    "unknown_vars": "uses ${bucket}, which the variables the scan can read do not give",
    "missing": "no-such-file.json.tpl is not in the scan",
    "directive": "uses a directive",
    "escape": "lies outside the scanned directory",
}


@pytest.fixture(scope="module")
def templates_scan():
    return scan("-d", str(FIXTURES / "templates"), "--check", "CKV_RSPEC_*", frameworks=("terraform",))


def test_templates_that_cannot_be_rendered_are_unknown_and_the_literal_one_fails(templates_scan):
    assert templates_scan.results(*CHECKS) == policy("literal_failing", CKV_RSPEC_1=FAILED)
    assert templates_scan.results("CKV_RSPEC_5") == {("CKV_RSPEC_5", TF, "aws_iam_role.spectrum", "PASSED")}


@pytest.mark.parametrize("name, reason", sorted(TEMPLATE_UNKNOWNS.items()))
def test_each_unrendered_template_is_logged_with_its_reason_at_warning(templates_scan, name, reason):
    lines = [line for line in templates_scan.stderr.splitlines() if f"UNKNOWN for aws_s3_bucket_policy.{name} " in line]
    assert {line.split("UNKNOWN")[0].split()[-1] for line in lines} == set(CHECKS)
    assert all("WARNI" in line and reason in line for line in lines), lines
