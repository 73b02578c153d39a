"""Adversarial CKV_RSPEC_5 fixtures, scanned by real Checkov."""
import pytest

from checkov_runner import REPO, scan

FIXTURES = REPO / "tests" / "fixtures" / "role_trust"
TF = "/main.tf"
CFN = "/template.yaml"


@pytest.fixture(scope="module")
def terraform_scan():
    return scan("-d", str(FIXTURES / "terraform"), "--check", "CKV_RSPEC_*", frameworks=("terraform",))


@pytest.fixture(scope="module")
def cloudformation_scan():
    return scan("-d", str(FIXTURES / "cloudformation"), "--check", "CKV_RSPEC_*", frameworks=("cloudformation",))


def test_terraform_results(terraform_scan):
    assert terraform_scan.results() == {
        ("CKV_RSPEC_5", TF, "aws_iam_role.wildcard_action", "FAILED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.not_action_admits", "FAILED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.not_action_excludes", "PASSED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.federated", "FAILED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.principal_star_with_condition", "FAILED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.deny_for_others", "PASSED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.mixed_case_action", "FAILED"),
        # The account is unresolved, but any AWS account is a principal other than Redshift.
        ("CKV_RSPEC_5", TF, "aws_iam_role.unresolved_partner", "FAILED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.skipped", "SKIPPED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.literal_arn", "FAILED"),
        ("CKV_RSPEC_5", TF, "aws_iam_role.unattached_shared", "FAILED"),
        # unresolved_service and malformed are UNKNOWN, which Checkov leaves out of its reports.
    }


def test_terraform_unknowns_are_logged_with_resource_and_reason(terraform_scan):
    lines = terraform_scan.stderr.splitlines()
    unresolved = [line for line in lines if "CKV_RSPEC_5 UNKNOWN for aws_iam_role.unresolved_service" in line]
    assert len(unresolved) == 1 and "WARNI" in unresolved[0] and "var.service_principal" in unresolved[0]
    malformed = [line for line in lines if "CKV_RSPEC_5 UNKNOWN for aws_iam_role.malformed" in line]
    assert len(malformed) == 1 and "ERROR" in malformed[0] and "not JSON" in malformed[0]


def test_skip_comment_carries_its_reason(terraform_scan):
    skipped = terraform_scan.raw["results"]["skipped_checks"]
    assert [check["check_result"]["suppress_comment"] for check in skipped] == [
        "Break-glass access, reviewed quarterly"
    ]


def test_cloudformation_results(cloudformation_scan):
    assert cloudformation_scan.results() == {
        ("CKV_RSPEC_5", CFN, "AWS::IAM::Role.MetadataSkipped", "SKIPPED"),
        ("CKV_RSPEC_5", CFN, "AWS::IAM::Role.CommentSkipped", "SKIPPED"),
        ("CKV_RSPEC_5", CFN, "AWS::IAM::Role.SingleStatementAccounts", "FAILED"),
        ("CKV_RSPEC_5", CFN, "AWS::IAM::Role.RegionalOnly", "PASSED"),
        # Fn::If [GlueToo, glue, redshift]: UseGlue may be "true". NotJson is UNKNOWN.
        ("CKV_RSPEC_5", CFN, "AWS::IAM::Role.ConditionalPrincipal", "FAILED"),
    }


def test_cloudformation_unknowns_are_logged(cloudformation_scan):
    stderr = cloudformation_scan.stderr
    assert "CKV_RSPEC_5 UNKNOWN for AWS::IAM::Role.NotJson" in stderr


def test_a_conditional_principal_fails_in_the_deployment_that_adds_it(cloudformation_scan):
    [message] = cloudformation_scan.details[("CKV_RSPEC_5", CFN, "AWS::IAM::Role.ConditionalPrincipal")]
    assert message.startswith("When GlueToo is true (for example UseGlue = 'true'): ")
    assert "glue.amazonaws.com" in message


def test_failure_names_every_extra_principal(cloudformation_scan):
    [message] = cloudformation_scan.details[("CKV_RSPEC_5", CFN, "AWS::IAM::Role.SingleStatementAccounts")]
    assert "AWS 111122223333" in message and "444455556666" in message
