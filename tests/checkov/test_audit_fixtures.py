"""Adversarial CKV_RSPEC_8 and CKV_RSPEC_9 fixtures, scanned by real Checkov: exact results per check."""
from __future__ import annotations

import pytest

from checkov_runner import REPO, scan

FIXTURES = REPO / "tests" / "fixtures" / "audit"
CHECKS = ("CKV_RSPEC_8", "CKV_RSPEC_9")
TF, CFN = "/main.tf", "/template.yaml"
PASSED, FAILED = "PASSED", "FAILED"


def bucket(file_path: str, resource: str, trail, logging) -> set:
    """The bucket's results; None where the check is UNKNOWN (logged, left out of Checkov's report)."""
    return {
        (check, file_path, resource, outcome)
        for check, outcome in zip(CHECKS, (trail, logging))
        if outcome is not None
    }


@pytest.fixture(scope="module")
def terraform_scan():
    return scan("-d", str(FIXTURES / "terraform"), "--check", "CKV_RSPEC_*", frameworks=("terraform",))


@pytest.fixture(scope="module")
def cloudformation_scan():
    return scan("-d", str(FIXTURES / "cloudformation"), "--check", "CKV_RSPEC_*", frameworks=("cloudformation",))


@pytest.fixture(scope="module")
def unresolved_scan():
    return scan(
        "-d", str(FIXTURES / "unresolved"), "--check", "CKV_RSPEC_*", frameworks=("terraform", "cloudformation")
    )


def test_terraform_results(terraform_scan):
    assert terraform_scan.results(*CHECKS) == (
        bucket(TF, "aws_s3_bucket.write_only", FAILED, PASSED)  # WriteOnly; the legacy logging block
        | bucket(TF, "aws_s3_bucket.read_only_false", FAILED, FAILED)
        | bucket(TF, "aws_s3_bucket.excluded", FAILED, FAILED)  # NotStartsWith its ARN
        | bucket(TF, "aws_s3_bucket.prefix_covers", PASSED, FAILED)  # a prefix over both Glue locations
        | bucket(TF, "aws_s3_bucket.prefix_misses", FAILED, FAILED)  # a prefix missing one of them
        | bucket(TF, "aws_s3_bucket.by_reference", PASSED, PASSED)  # references to its arn and id
        | bucket(TF, "aws_s3_bucket.generated_name", PASSED, FAILED)  # random_pet: the same unknown name
        | bucket(TF, "aws_s3_bucket.bare_arn", FAILED, FAILED)  # its ARN without the trailing /
        | bucket(TF, "aws_s3_bucket.stopped", FAILED, PASSED)  # enable_logging = false; logging by literal name
        | bucket(TF, "aws_s3_bucket.put_only", FAILED, FAILED)  # every bucket, but eventName PutObject only
        # aws_s3_bucket.unlinked is not read by Spectrum: no result.
    )


def test_terraform_messages(terraform_scan):
    def message(check: str, resource: str) -> str:
        [found] = terraform_scan.details[(check, TF, resource)]
        return found

    assert "records only writes (read_write_type = WriteOnly)" in message("CKV_RSPEC_8", "aws_s3_bucket.write_only")
    assert "(Writes) records only writes (readOnly Equals [false])" in message(
        "CKV_RSPEC_8", "aws_s3_bucket.read_only_false"
    )
    assert "excludes its objects (resources.ARN NotStartsWith [arn:aws:s3:::fx-audit-excluded/])" in message(
        "CKV_RSPEC_8", "aws_s3_bucket.excluded"
    )
    misses = message("CKV_RSPEC_8", "aws_s3_bucket.prefix_misses")
    assert "covers only part of it" in misses and "archive/, tables/" in misses
    assert "arn:aws:s3:::fx-audit-bare-arn has no trailing / and names no object" in message(
        "CKV_RSPEC_8", "aws_s3_bucket.bare_arn"
    )
    assert "aws_cloudtrail.stopped is stopped" in message("CKV_RSPEC_8", "aws_s3_bucket.stopped")
    assert "excludes Spectrum's reads (GetObject) (eventName Equals [PutObject])" in message(
        "CKV_RSPEC_8", "aws_s3_bucket.put_only"
    )
    assert "management events only" not in message("CKV_RSPEC_8", "aws_s3_bucket.put_only")  # one selector of several
    assert 'resource "aws_s3_bucket_logging" "excluded" { bucket = aws_s3_bucket.excluded.id' in message(
        "CKV_RSPEC_9", "aws_s3_bucket.excluded"
    )


def test_cloudformation_results(cloudformation_scan):
    assert cloudformation_scan.results(*CHECKS) == (
        # Fn::Join; LoggingConfiguration under Fn::If, absent when LogAccess is "false".
        bucket(CFN, "AWS::S3::Bucket.JoinBucket", PASSED, FAILED)
        | bucket(CFN, "AWS::S3::Bucket.GeneratedBucket", PASSED, PASSED)  # a generated name, through Fn::Sub
        | bucket(CFN, "AWS::S3::Bucket.ExcludedBucket", FAILED, FAILED)  # NotStartsWith with Fn::Sub
    )
    [join] = cloudformation_scan.details[("CKV_RSPEC_9", CFN, "AWS::S3::Bucket.JoinBucket")]
    assert join.startswith("When ShouldLogAccess is false (for example LogAccess = 'false'): ")


def test_unresolved_values_are_unknown_and_logged(unresolved_scan):
    assert unresolved_scan.results(*CHECKS) == bucket(CFN, "AWS::S3::Bucket.Lake", None, FAILED)
    lines = [line for line in unresolved_scan.stderr.splitlines() if " UNKNOWN for " in line]
    assert len(lines) == 3 and all("WARNI" in line for line in lines)
    [trail] = [line for line in lines if "CKV_RSPEC_8 UNKNOWN for aws_s3_bucket.lake" in line]
    assert "var.audited_objects" in trail
    [logging] = [line for line in lines if "CKV_RSPEC_9 UNKNOWN for aws_s3_bucket.lake" in line]
    assert "aws_s3_bucket_logging.somewhere" in logging and "var.logged_bucket" in logging
    [condition] = [line for line in lines if "CKV_RSPEC_8 UNKNOWN for AWS::S3::Bucket.Lake" in line]
    assert "Fn::ImportValue" in condition


def test_an_organization_trail_in_the_configuration_passes_every_spectrum_bucket():
    found = scan("-d", str(FIXTURES / "organization_trail"), "--check", "CKV_RSPEC_*", frameworks=("terraform",))
    # fx-org-elsewhere is declared but not defined in the scan, and fx-org-unlinked is not a Spectrum bucket.
    assert found.results(*CHECKS) == bucket(TF, "aws_s3_bucket.declared", PASSED, FAILED)


def test_no_errors_logged(terraform_scan, cloudformation_scan, unresolved_scan):
    for one in (terraform_scan, cloudformation_scan, unresolved_scan):
        assert "ERROR" not in one.stderr, one.stderr
