"""The bundled examples, scanned by real Checkov: the exact CKV_RSPEC_1 to CKV_RSPEC_4 results."""
from __future__ import annotations

CHECKS = ("CKV_RSPEC_1", "CKV_RSPEC_2", "CKV_RSPEC_3", "CKV_RSPEC_4")


def rows(file_path: str, resource: str, failing: tuple = ()) -> set:
    """One result per check on the resource: FAILED for the `failing` checks, PASSED for the others."""
    return {(check, file_path, resource, "FAILED" if check in failing else "PASSED") for check in CHECKS}


S3_ACCESS_TERRAFORM = (
    rows("/s3_access/vpce_restricted_lake_failing/main.tf", "aws_s3_bucket_policy.raw", ("CKV_RSPEC_1",))
    | rows("/s3_access/principal_restricted_lake_passing/main.tf", "aws_s3_bucket_policy.curated")
    | rows("/s3_access/signature_age_limit_failing/main.tf", "aws_s3_bucket_policy.events", ("CKV_RSPEC_2",))
    | rows("/s3_access/signature_age_limit_failing/main.tf", "aws_s3_bucket_policy.exports")
    | rows("/s3_access/presigned_urls_blocked_failing/main.tf", "aws_s3_bucket_policy.marketing", ("CKV_RSPEC_3",))
    # Enhanced VPC routing sends Serverless Spectrum through the endpoint: no network-origin finding.
    | rows("/s3_access/serverless_vpce_lakehouse_passing/main.tf", "aws_s3_bucket_policy.lakehouse")
    | rows("/s3_access/allow_list_without_spectrum_failing/main.tf", "aws_s3_bucket_policy.hr", ("CKV_RSPEC_4",))
    # Declared in terraform_examples/.spectrum-guard.yaml.
    | rows("/s3_access/declared_partner_bucket_failing/main.tf",
           "aws_s3_bucket_policy.partner_exchange", ("CKV_RSPEC_1",))
    # Policies rendered from template files: an endpoint's ID unknown to the scan still fails CKV_RSPEC_1.
    | rows("/s3_access/templatefile_vpce_policy_failing/main.tf", "aws_s3_bucket_policy.landing", ("CKV_RSPEC_1",))
    | rows("/s3_access/template_file_principal_passing/main.tf", "aws_s3_bucket_policy.reporting")
    # Role, grant, cluster and bucket in different local modules, the bucket one module deeper.
    | rows("/modules/nested_spectrum_stack_passing/modules/lake/main.tf", "module.lake.aws_s3_bucket_policy.lake")
    | rows("/modules/nested_spectrum_stack_vpce_only_failing/modules/lake/main.tf",
           "module.lake.aws_s3_bucket_policy.lake", ("CKV_RSPEC_1",))
    # One lake module instantiated twice: each instance's policy gets its own result.
    | rows("/modules/lake_module_twice/modules/lake/main.tf", "module.raw.aws_s3_bucket_policy.this", ("CKV_RSPEC_1",))
    | rows("/modules/lake_module_twice/modules/lake/main.tf", "module.curated.aws_s3_bucket_policy.this")
    # The role's grants name the buckets by module outputs, which Checkov copies as the modules wrote them.
    | rows("/modules/lake_module_outputs_failing/modules/zone/main.tf",
           "module.raw_zone.aws_s3_bucket_policy.this", ("CKV_RSPEC_1",))
    | rows("/modules/lake_module_outputs_failing/main.tf", "aws_s3_bucket_policy.curated")
    # The plan example's source is Terraform too.
    | rows("/plan/s3_access/main.tf", "aws_s3_bucket_policy.raw", ("CKV_RSPEC_1",))
    | rows("/plan/s3_access/main.tf", "aws_s3_bucket_policy.curated")
    # The read-audit examples' buckets have no bucket policy: their results are on the bucket, all PASSED.
    | rows("/audit/unaudited_lake_failing/main.tf", "aws_s3_bucket.clickstream")
    | rows("/audit/audited_lake_passing/main.tf", "aws_s3_bucket.lake")
    | rows("/audit/audited_lake_passing/main.tf", "aws_s3_bucket.curated")
    | rows("/audit/misconfigured_trails_failing/main.tf", "aws_s3_bucket.raw")
    | rows("/audit/misconfigured_trails_failing/main.tf", "aws_s3_bucket.curated")
    | rows("/plan/audit/main.tf", "aws_s3_bucket.lake")
    | rows("/plan/audit/main.tf", "aws_s3_bucket.staging")
)

S3_ACCESS_PLAN = (
    rows("/plan/s3_access/tfplan.json", "aws_s3_bucket_policy.raw", ("CKV_RSPEC_1",))
    | rows("/plan/s3_access/tfplan.json", "aws_s3_bucket_policy.curated")
    | rows("/plan/audit/tfplan.json", "aws_s3_bucket.lake")
    | rows("/plan/audit/tfplan.json", "aws_s3_bucket.staging")
)

S3_ACCESS_CLOUDFORMATION = (
    rows("/s3_access/data_lake_restricted_failing.yaml", "AWS::S3::BucketPolicy.RawBucketPolicy", ("CKV_RSPEC_1",))
    | rows("/s3_access/data_lake_restricted_failing.yaml", "AWS::S3::BucketPolicy.EventsBucketPolicy", ("CKV_RSPEC_2",))
    | rows("/s3_access/data_lake_principal_passing.yaml", "AWS::S3::BucketPolicy.CuratedBucketPolicy")
    | rows(
        "/s3_access/lakehouse_serverless_failing.json",
        "AWS::S3::BucketPolicy.LakehouseBucketPolicy",
        ("CKV_RSPEC_3", "CKV_RSPEC_4"),
    )
    # The read-audit examples' buckets have no bucket policy: their results are on the bucket, all PASSED.
    | rows("/audit/data_lake_audit.yaml", "AWS::S3::Bucket.LakeBucket")
    | rows("/audit/data_lake_audit.yaml", "AWS::S3::Bucket.StagingBucket")
    | rows("/audit/lakehouse_advanced_selectors.json", "AWS::S3::Bucket.LakehouseRawBucket")
    | rows("/audit/lakehouse_advanced_selectors.json", "AWS::S3::Bucket.LakehouseEventsBucket")
    # The endpoint-only statement exists only in production (Fn::If IsProd): reachable, so FAILED.
    | rows("/conditions/vpce_only_in_prod_failing.yaml", "AWS::S3::BucketPolicy.CuratedBucketPolicy", ("CKV_RSPEC_1",))
    # The policy exists only when RestrictNetwork holds; without it, the bucket has no policy and passes.
    | rows("/conditions/guarded_bucket_policy_failing.yaml",
           "AWS::S3::BucketPolicy.LandingBucketPolicy", ("CKV_RSPEC_1",))
    | rows("/conditions/guarded_bucket_policy_failing.yaml", "AWS::S3::Bucket.LandingBucket")
    # ArchiveBucketPolicy's condition never holds: it never exists, and gives no result.
    | rows("/conditions/guarded_bucket_policy_failing.yaml", "AWS::S3::Bucket.ArchiveBucket")
    | rows("/sam/spectrum_loader.yaml", "AWS::S3::Bucket.EventsBucket")
)


def test_terraform_examples(terraform_examples_scan):
    assert terraform_examples_scan.results(*CHECKS) == S3_ACCESS_TERRAFORM | S3_ACCESS_PLAN


def test_cloudformation_examples(cloudformation_examples_scan):
    assert cloudformation_examples_scan.results(*CHECKS) == S3_ACCESS_CLOUDFORMATION


def test_every_check_fails_and_passes_in_every_form():
    for results in (S3_ACCESS_TERRAFORM, S3_ACCESS_CLOUDFORMATION):
        for check in CHECKS:
            assert {result for (check_id, _, _, result) in results if check_id == check} == {"FAILED", "PASSED"}
    assert {result for (_, _, _, result) in S3_ACCESS_PLAN} == {"FAILED", "PASSED"}


def test_failures_name_bucket_role_statement_key_value_and_fix(terraform_examples_scan, cloudformation_examples_scan):
    [raw] = terraform_examples_scan.details[
        ("CKV_RSPEC_1", "/s3_access/vpce_restricted_lake_failing/main.tf", "aws_s3_bucket_policy.raw")
    ]
    for part in ("acme-analytics-raw", "aws_iam_role.spectrum", "aws_redshift_cluster.analytics",
                 "OnlyThroughTheS3Endpoint", "aws:sourcevpce", "aws_vpc_endpoint.s3.id", "Fix:"):
        assert part in raw, part
    [landing] = terraform_examples_scan.details[
        ("CKV_RSPEC_1", "/s3_access/templatefile_vpce_policy_failing/main.tf", "aws_s3_bucket_policy.landing")
    ]
    for part in ("acme-ingest-landing", "OnlyThroughTheS3Endpoint", "aws:sourcevpce", "var.s3_endpoint_id"):
        assert part in landing, part
    [events] = cloudformation_examples_scan.details[
        ("CKV_RSPEC_2", "/s3_access/data_lake_restricted_failing.yaml", "AWS::S3::BucketPolicy.EventsBucketPolicy")
    ]
    for part in ("DenyOldSignatures", "NumericGreaterThanIfExists s3:signatureage", "600000", "3600000", "Fix:"):
        assert part in events, part
    [lakehouse] = cloudformation_examples_scan.details[
        ("CKV_RSPEC_4", "/s3_access/lakehouse_serverless_failing.json", "AWS::S3::BucketPolicy.LakehouseBucketPolicy")
    ]
    assert "OnlyIngestion" in lakehouse and "aws:principalarn" in lakehouse


def test_a_failure_behind_a_condition_names_the_condition_and_parameter_values(cloudformation_examples_scan):
    [curated] = cloudformation_examples_scan.details[
        ("CKV_RSPEC_1", "/conditions/vpce_only_in_prod_failing.yaml", "AWS::S3::BucketPolicy.CuratedBucketPolicy")
    ]
    assert curated.startswith("When IsProd is true (for example Environment = 'prod'): ")
    assert "ProductionOnlyThroughTheEndpoint" in curated
    [landing] = cloudformation_examples_scan.details[
        ("CKV_RSPEC_1", "/conditions/guarded_bucket_policy_failing.yaml", "AWS::S3::BucketPolicy.LandingBucketPolicy")
    ]
    # NeverBoth is false in every deployment, so it says nothing and is not named.
    assert landing.startswith("When RestrictNetwork is true (for example RestrictToVpc = 'true'): ")
