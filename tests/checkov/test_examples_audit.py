"""The bundled examples, scanned by real Checkov: the exact CKV_RSPEC_8 and CKV_RSPEC_9 results.

Every Spectrum bucket the examples define gets one result per check, on the bucket; other buckets get none.
"""
from __future__ import annotations

CHECKS = ("CKV_RSPEC_8", "CKV_RSPEC_9")
PASSED, FAILED = "PASSED", "FAILED"


def bucket(file_path: str, resource: str, trail: str, logging: str) -> set:
    return {("CKV_RSPEC_8", file_path, resource, trail), ("CKV_RSPEC_9", file_path, resource, logging)}


AUDIT_TERRAFORM = (
    # Neither kind of audit.
    bucket("/audit/unaudited_lake_failing/main.tf", "aws_s3_bucket.clickstream", FAILED, FAILED)
    | bucket("/modules/nested_spectrum_stack_passing/modules/lake/bucket/main.tf",
             "module.lake.module.bucket.aws_s3_bucket.this", FAILED, FAILED)
    | bucket("/modules/nested_spectrum_stack_vpce_only_failing/modules/lake/bucket/main.tf",
             "module.lake.module.bucket.aws_s3_bucket.this", FAILED, FAILED)
    | bucket("/modules/lake_module_twice/modules/lake/main.tf", "module.raw.aws_s3_bucket.this", FAILED, FAILED)
    | bucket("/modules/lake_module_twice/modules/lake/main.tf", "module.curated.aws_s3_bucket.this", FAILED, FAILED)
    | bucket("/modules/lake_module_outputs_failing/modules/zone/main.tf",
             "module.raw_zone.aws_s3_bucket.this", FAILED, FAILED)
    | bucket("/modules/lake_module_outputs_failing/modules/bucket/main.tf",
             "module.curated.aws_s3_bucket.this", FAILED, FAILED)
    # Both: a basic selector on the bucket's ARN + "/", and aws_s3_bucket_logging.
    | bucket("/audit/audited_lake_passing/main.tf", "aws_s3_bucket.lake", PASSED, PASSED)
    # An advanced selector on the prefix that holds every Glue location, and the legacy logging block.
    | bucket("/audit/audited_lake_passing/main.tf", "aws_s3_bucket.curated", PASSED, PASSED)
    # A write-only trail; aws_s3_bucket_logging naming the bucket literally.
    | bucket("/audit/misconfigured_trails_failing/main.tf", "aws_s3_bucket.raw", FAILED, PASSED)
    # A prefix that misses one Glue location, and a trail covering another bucket only.
    | bucket("/audit/misconfigured_trails_failing/main.tf", "aws_s3_bucket.curated", FAILED, FAILED)
    | bucket("/plan/audit/main.tf", "aws_s3_bucket.lake", PASSED, PASSED)
    | bucket("/plan/audit/main.tf", "aws_s3_bucket.staging", FAILED, FAILED)
    # The other families' examples audit nothing.
    | bucket("/s3_access/vpce_restricted_lake_failing/main.tf", "aws_s3_bucket.raw", FAILED, FAILED)
    | bucket("/s3_access/principal_restricted_lake_passing/main.tf", "aws_s3_bucket.curated", FAILED, FAILED)
    | bucket("/s3_access/signature_age_limit_failing/main.tf", "aws_s3_bucket.events", FAILED, FAILED)
    | bucket("/s3_access/signature_age_limit_failing/main.tf", "aws_s3_bucket.exports", FAILED, FAILED)
    | bucket("/s3_access/presigned_urls_blocked_failing/main.tf", "aws_s3_bucket.marketing", FAILED, FAILED)
    | bucket("/s3_access/serverless_vpce_lakehouse_passing/main.tf", "aws_s3_bucket.lakehouse", FAILED, FAILED)
    | bucket("/s3_access/allow_list_without_spectrum_failing/main.tf", "aws_s3_bucket.hr", FAILED, FAILED)
    | bucket("/s3_access/declared_partner_bucket_failing/main.tf", "aws_s3_bucket.partner_exchange", FAILED, FAILED)
    | bucket("/s3_access/templatefile_vpce_policy_failing/main.tf", "aws_s3_bucket.landing", FAILED, FAILED)
    | bucket("/s3_access/template_file_principal_passing/main.tf", "aws_s3_bucket.reporting", FAILED, FAILED)
    | bucket("/plan/s3_access/main.tf", "aws_s3_bucket.raw", FAILED, FAILED)
    | bucket("/plan/s3_access/main.tf", "aws_s3_bucket.curated", FAILED, FAILED)
)

AUDIT_PLAN = (
    # aws_s3_bucket_logging links through the plan's references: its bucket is computed at apply time.
    bucket("/plan/audit/tfplan.json", "aws_s3_bucket.lake", PASSED, PASSED)
    | bucket("/plan/audit/tfplan.json", "aws_s3_bucket.staging", FAILED, FAILED)
    | bucket("/plan/s3_access/tfplan.json", "aws_s3_bucket.raw", FAILED, FAILED)
    | bucket("/plan/s3_access/tfplan.json", "aws_s3_bucket.curated", FAILED, FAILED)
)


def test_terraform_examples(terraform_examples_scan):
    assert terraform_examples_scan.results(*CHECKS) == AUDIT_TERRAFORM | AUDIT_PLAN


AUDIT_CLOUDFORMATION = (
    # Fn::Sub of the bucket's ARN + "/" in a basic selector, and LoggingConfiguration.
    bucket("/audit/data_lake_audit.yaml", "AWS::S3::Bucket.LakeBucket", PASSED, PASSED)
    # Recorded by a WriteOnly selector only, and no logging.
    | bucket("/audit/data_lake_audit.yaml", "AWS::S3::Bucket.StagingBucket", FAILED, FAILED)
    # Advanced selectors: readOnly true with Fn::Join of the ARN; readOnly false.
    | bucket("/audit/lakehouse_advanced_selectors.json", "AWS::S3::Bucket.LakehouseRawBucket", PASSED, PASSED)
    | bucket("/audit/lakehouse_advanced_selectors.json", "AWS::S3::Bucket.LakehouseEventsBucket", FAILED, FAILED)
    # The other families' examples audit nothing. CuratedBucket's name is generated, but the trails name other
    # buckets of the scan, which bucket names being unique it cannot be.
    | bucket("/s3_access/data_lake_principal_passing.yaml", "AWS::S3::Bucket.CuratedBucket", FAILED, FAILED)
    | bucket("/s3_access/data_lake_restricted_failing.yaml", "AWS::S3::Bucket.RawBucket", FAILED, FAILED)
    | bucket("/s3_access/data_lake_restricted_failing.yaml", "AWS::S3::Bucket.EventsBucket", FAILED, FAILED)
    | bucket("/s3_access/lakehouse_serverless_failing.json", "AWS::S3::Bucket.LakehouseBucket", FAILED, FAILED)
    | bucket("/conditions/vpce_only_in_prod_failing.yaml", "AWS::S3::Bucket.CuratedBucket", FAILED, FAILED)
    | bucket("/conditions/guarded_bucket_policy_failing.yaml", "AWS::S3::Bucket.LandingBucket", FAILED, FAILED)
    | bucket("/conditions/guarded_bucket_policy_failing.yaml", "AWS::S3::Bucket.ArchiveBucket", FAILED, FAILED)
    | bucket("/sam/spectrum_loader.yaml", "AWS::S3::Bucket.EventsBucket", FAILED, FAILED)
)


def test_cloudformation_examples(cloudformation_examples_scan):
    assert cloudformation_examples_scan.results(*CHECKS) == AUDIT_CLOUDFORMATION


def test_failures_say_why_the_reads_need_auditing_and_how_to_fix(terraform_examples_scan, cloudformation_examples_scan):
    details = terraform_examples_scan.details
    [raw] = details[("CKV_RSPEC_8", "/audit/misconfigured_trails_failing/main.tf", "aws_s3_bucket.raw")]
    assert "aws_cloudtrail.ingest" in raw and "records only writes (read_write_type = WriteOnly)" in raw
    [curated] = details[("CKV_RSPEC_8", "/audit/misconfigured_trails_failing/main.tf", "aws_s3_bucket.curated")]
    assert "covers only part of it" in curated and "daily/spend/, hourly/spend/" in curated
    assert "covers other buckets only" in curated and "acme-ads-exports" in curated
    [none] = details[("CKV_RSPEC_8", "/audit/unaudited_lake_failing/main.tf", "aws_s3_bucket.clickstream")]
    assert "no aws_cloudtrail or AWS::CloudTrail::Trail in the scan" not in none  # other examples hold trails
    for message in (raw, curated, none):
        assert "no VPC flow log" in message
        assert 'values = ["arn:aws:s3:::' in message and "Fix:" in message
    [logging] = details[("CKV_RSPEC_9", "/audit/unaudited_lake_failing/main.tf", "aws_s3_bucket.clickstream")]
    assert "no VPC flow log" in logging and 'resource "aws_s3_bucket_logging" "clickstream"' in logging
    [staging] = cloudformation_examples_scan.details[
        ("CKV_RSPEC_9", "/audit/data_lake_audit.yaml", "AWS::S3::Bucket.StagingBucket")
    ]
    assert "LoggingConfiguration" in staging and "no VPC flow log" in staging


def test_no_errors_logged(terraform_examples_scan, cloudformation_examples_scan):
    for one in (terraform_examples_scan, cloudformation_examples_scan):
        assert "ERROR" not in one.stderr, one.stderr
