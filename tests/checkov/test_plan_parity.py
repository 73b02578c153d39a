"""Parity: every Terraform example scenario gives the same verdicts scanned as HCL and as a plan, and every
CloudFormation example that expresses the same infrastructure as a Terraform one gives the same verdicts too.
Where they must differ, the tables below say which verdicts and why.

The plans are committed (generating one takes Terraform 20 s to 2 min): tests/fixtures/plan_parity/<group>/<example>/
tfplan.json is the plan of terraform_examples/<group>/<example>, made by scripts/regenerate-plans.sh with an
offline provider; terraform_examples/plan/<example> holds its own. test_committed_plan_is_current regenerates one
when terraform is installed.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict, FrozenSet, Set, Tuple

import pytest

from checkov_runner import REPO, scan

EXAMPLES = REPO / "terraform_examples"
PARITY_PLANS = REPO / "tests" / "fixtures" / "plan_parity"

Verdict = Tuple[str, str, str]  # (check, resource, result)


def _scenarios() -> Set[str]:
    """Every example directory, as `group/example`."""
    return {
        f"{group.name}/{example.name}"
        for group in EXAMPLES.iterdir()
        if group.is_dir()
        for example in group.iterdir()
        if example.is_dir()
    }


def _unplannable() -> Dict[str, str]:
    """The examples that cannot be planned offline, each with why: tests/fixtures/plan_parity/<group>/<example>/
    unplannable, which scripts/regenerate-plans.sh skips. No plan of them is committed, so they have no parity test."""
    return {
        str(path.parent.relative_to(PARITY_PLANS)): path.read_text()
        for path in PARITY_PLANS.glob("*/*/unplannable")
    }


def _planned_scenarios() -> Set[str]:
    return _scenarios() - set(_unplannable())


# Why a plan gives no verdict (UNKNOWN, logged) where the HCL scan decides: Terraform's JSON records only which
# references a computed expression uses, not the expression, so what it builds from them is unknown.
POLICY_COMPUTED = (
    "a policy embeds a bucket or role ARN computed at apply time: the plan holds only its references, so its checks "
    "are UNKNOWN, and a bucket that only this policy makes a Spectrum bucket gets no result at all"
)
ROUTE_COMPUTED = (
    "the default route's target is a gateway created in the same plan: the route's target is computed at apply "
    "time, so CKV_RSPEC_6 and CKV_RSPEC_7 are UNKNOWN"
)
# The plans are made with the one AWS provider installed offline, 5.100.0 (scripts/regenerate-plans.sh).
PROVIDER_DEFAULT = (
    "the example asks for AWS provider ~> 6.0, where an absent publicly_accessible is false (the provider's Version 6 "
    "Upgrade Guide); its plan is made with 5.100.0, where it is true, so the planned cluster is public, unlike the "
    "example's: the plan is of other infrastructure, whose verdicts may differ"
)
TRAIL_COMPUTED = (
    "a trail's resources.ARN value embeds a bucket ARN computed at apply time (audit/audited_lake_passing, "
    "audit/misconfigured_trails_failing): the plan holds only its references, so the value may name any bucket, "
    "and CKV_RSPEC_8 is UNKNOWN for every Spectrum bucket that no other trail records, in the plans scanned with it too"
)
ENDPOINT_ID_COMPUTED = (
    "the bucket policy's aws:SourceVpce value is the ID of an S3 endpoint created in the same plan, computed at apply "
    "time: the whole policy is unknown in the plan, so its checks are UNKNOWN"
)
TEMPLATEFILE_COMPUTED = (
    "templatefile() renders the bucket policy from the bucket's ARN, computed at apply time, so Terraform plans the "
    "whole policy as unknown and records only the call's references: its checks are UNKNOWN"
)
PREFIX_LIST_COMPUTED = (
    "the security group's HTTPS egress to the S3 prefix list names the endpoint's prefix_list_id, computed at apply "
    "time: CKV_RSPEC_7 is UNKNOWN"
)

# A plan may lose a verdict (UNKNOWN, logged), never gain or change one: the verdicts only the HCL scan gives, by
# scenario, and why.
EXPECTED_DIFFERENCES: Dict[str, Tuple[FrozenSet[Verdict], str]] = {
    "audit/audited_lake_passing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket.curated", "PASSED"),
            ("CKV_RSPEC_1", "aws_s3_bucket.lake", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket.curated", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket.lake", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket.curated", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket.lake", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket.curated", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket.lake", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.curated", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.lake", "PASSED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "audit/misconfigured_trails_failing": (
        frozenset({
            ("CKV_RSPEC_8", "aws_s3_bucket.curated", "FAILED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.raw", "FAILED"),
        }),
        TRAIL_COMPUTED,
    ),
    "audit/unaudited_lake_failing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket.clickstream", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket.clickstream", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket.clickstream", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket.clickstream", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.clickstream", "FAILED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "modules/lake_module_twice": (
        frozenset({
            ("CKV_RSPEC_8", "module.curated.aws_s3_bucket.this", "FAILED"),
            ("CKV_RSPEC_8", "module.raw.aws_s3_bucket.this", "FAILED"),
        }),
        TRAIL_COMPUTED,
    ),
    "modules/lake_module_outputs_failing": (
        frozenset({
            ("CKV_RSPEC_1", "module.raw_zone.aws_s3_bucket_policy.this", "FAILED"),
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_2", "module.raw_zone.aws_s3_bucket_policy.this", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_3", "module.raw_zone.aws_s3_bucket_policy.this", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_4", "module.raw_zone.aws_s3_bucket_policy.this", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_8", "module.raw_zone.aws_s3_bucket.this", "FAILED"),
            ("CKV_RSPEC_8", "module.curated.aws_s3_bucket.this", "FAILED"),
            ("CKV_RSPEC_9", "module.raw_zone.aws_s3_bucket.this", "FAILED"),
            ("CKV_RSPEC_9", "module.curated.aws_s3_bucket.this", "FAILED"),
        }),
        POLICY_COMPUTED,
    ),
    "modules/nested_spectrum_stack_passing": (
        frozenset({
            ("CKV_RSPEC_8", "module.lake.module.bucket.aws_s3_bucket.this", "FAILED"),
        }),
        TRAIL_COMPUTED,
    ),
    "modules/nested_spectrum_stack_vpce_only_failing": (
        frozenset({
            ("CKV_RSPEC_1", "module.lake.aws_s3_bucket_policy.lake", "FAILED"),
            ("CKV_RSPEC_2", "module.lake.aws_s3_bucket_policy.lake", "PASSED"),
            ("CKV_RSPEC_3", "module.lake.aws_s3_bucket_policy.lake", "PASSED"),
            ("CKV_RSPEC_4", "module.lake.aws_s3_bucket_policy.lake", "PASSED"),
            ("CKV_RSPEC_8", "module.lake.module.bucket.aws_s3_bucket.this", "FAILED"),
        }),
        f"{ENDPOINT_ID_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "network/glue_endpoint_without_private_dns": (
        frozenset({
            ("CKV_RSPEC_7", "aws_redshift_cluster.analytics", "PASSED"),
        }),
        PREFIX_LIST_COMPUTED,
    ),
    "network/internet_gateway_private_cluster_failing": (
        frozenset({
            ("CKV_RSPEC_6", "aws_redshift_cluster.marketing", "FAILED"),
            ("CKV_RSPEC_7", "aws_redshift_cluster.marketing", "FAILED"),
        }),
        f"{PROVIDER_DEFAULT}; {ROUTE_COMPUTED}",
    ),
    "network/nat_explicit_association_passing": (
        frozenset({
            ("CKV_RSPEC_6", "aws_redshift_cluster.reporting", "PASSED"),
            ("CKV_RSPEC_7", "aws_redshift_cluster.reporting", "PASSED"),
        }),
        # The NAT gateway leads out only through its own subnet's route to the internet gateway.
        ROUTE_COMPUTED,
    ),
    "network/nat_main_route_table_passing": (
        frozenset({
            ("CKV_RSPEC_6", "aws_redshift_cluster.finance", "PASSED"),
            ("CKV_RSPEC_7", "aws_redshift_cluster.finance", "PASSED"),
        }),
        ROUTE_COMPUTED,
    ),
    "network/nat_without_internet_failing": (
        frozenset({
            ("CKV_RSPEC_6", "aws_redshift_cluster.billing", "FAILED"),
            ("CKV_RSPEC_7", "aws_redshift_cluster.billing", "FAILED"),
        }),
        ROUTE_COMPUTED,
    ),
    "network/security_group_blocks_443_failing": (
        frozenset({
            ("CKV_RSPEC_6", "aws_redshift_cluster.ops", "FAILED"),
            ("CKV_RSPEC_7", "aws_redshift_cluster.ops", "FAILED"),
        }),
        ROUTE_COMPUTED,
    ),
    "s3_access/allow_list_without_spectrum_failing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.hr", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.hr", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.hr", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.hr", "FAILED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.hr", "FAILED"),
            ("CKV_RSPEC_9", "aws_s3_bucket.hr", "FAILED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "s3_access/declared_partner_bucket_failing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.partner_exchange", "FAILED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.partner_exchange", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.partner_exchange", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.partner_exchange", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.partner_exchange", "FAILED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "s3_access/presigned_urls_blocked_failing": (
        frozenset({
            ("CKV_RSPEC_8", "aws_s3_bucket.marketing", "FAILED"),
        }),
        TRAIL_COMPUTED,
    ),
    "s3_access/principal_restricted_lake_passing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.curated", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.curated", "FAILED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "s3_access/serverless_vpce_lakehouse_passing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.lakehouse", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.lakehouse", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.lakehouse", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.lakehouse", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.lakehouse", "FAILED"),
            ("CKV_RSPEC_9", "aws_s3_bucket.lakehouse", "FAILED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "s3_access/signature_age_limit_failing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.events", "PASSED"),
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.exports", "PASSED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.events", "FAILED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.exports", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.events", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.exports", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.events", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.exports", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.events", "FAILED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.exports", "FAILED"),
            ("CKV_RSPEC_9", "aws_s3_bucket.events", "FAILED"),
            ("CKV_RSPEC_9", "aws_s3_bucket.exports", "FAILED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
    "s3_access/templatefile_vpce_policy_failing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.landing", "FAILED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.landing", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.landing", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.landing", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.landing", "FAILED"),
            ("CKV_RSPEC_9", "aws_s3_bucket.landing", "FAILED"),
        }),
        f"{TEMPLATEFILE_COMPUTED}; {POLICY_COMPUTED}",
    ),
    "s3_access/vpce_restricted_lake_failing": (
        frozenset({
            ("CKV_RSPEC_1", "aws_s3_bucket_policy.raw", "FAILED"),
            ("CKV_RSPEC_2", "aws_s3_bucket_policy.raw", "PASSED"),
            ("CKV_RSPEC_3", "aws_s3_bucket_policy.raw", "PASSED"),
            ("CKV_RSPEC_4", "aws_s3_bucket_policy.raw", "PASSED"),
            ("CKV_RSPEC_8", "aws_s3_bucket.raw", "FAILED"),
        }),
        f"{POLICY_COMPUTED}; {TRAIL_COMPUTED}",
    ),
}

@pytest.fixture(scope="session")
def parity_plans_scan():
    configuration = {"SPECTRUM_GUARD_CONFIG": str(EXAMPLES / ".spectrum-guard.yaml")}
    return scan("-d", str(PARITY_PLANS), "--check", "CKV_RSPEC_*", frameworks=("terraform_plan",), env=configuration)


def _verdicts(results, prefix: str, suffix: str = "") -> Set[Verdict]:
    return {
        (check, resource, result)
        for (check, file_path, resource, result) in results
        if file_path.startswith(prefix) and file_path.endswith(suffix)
    }


def _hcl_and_plan(scenario: str, hcl_results, plan_results) -> Tuple[Set[Verdict], Set[Verdict]]:
    if scenario.startswith("plan/"):
        hcl = _verdicts(hcl_results, f"/{scenario}/", ".tf")
        return hcl, _verdicts(hcl_results, f"/{scenario}/", ".json")
    return _verdicts(hcl_results, f"/{scenario}/"), _verdicts(plan_results, f"/{scenario}/")


def test_every_example_has_a_committed_plan():
    planned = {str(path.parent.relative_to(PARITY_PLANS)) for path in PARITY_PLANS.glob("*/*/tfplan.json")}
    planned |= {f"plan/{path.parent.name}" for path in (EXAMPLES / "plan").glob("*/tfplan.json")}
    assert planned == _planned_scenarios()


def test_expected_differences_name_real_scenarios():
    assert set(EXPECTED_DIFFERENCES) <= _planned_scenarios()


def test_unplannable_examples_are_real_and_say_why():
    assert set(_unplannable()) <= _scenarios()
    assert all(reason.strip() for reason in _unplannable().values())


def test_the_private_cluster_is_planned_public_by_the_5x_default():
    """What PROVIDER_DEFAULT says; regenerated with a 6.x provider, the plan would hold a private cluster."""
    scenario = "network/internet_gateway_private_cluster_failing"
    assert 'version = "~> 6.0"' in (EXAMPLES / scenario / "main.tf").read_text()
    plan = json.loads((PARITY_PLANS / scenario / "tfplan.json").read_text())
    [cluster] = [change for change in plan["resource_changes"] if change["type"] == "aws_redshift_cluster"]
    assert "publicly_accessible" not in cluster["change"]["after_unknown"]
    assert cluster["change"]["after"]["publicly_accessible"] is True


@pytest.mark.parametrize("scenario", sorted(_planned_scenarios()))
def test_hcl_and_plan_give_the_same_verdicts(scenario, terraform_examples_scan, parity_plans_scan):
    hcl, plan = _hcl_and_plan(scenario, terraform_examples_scan.results(), parity_plans_scan.results())
    only_hcl, _ = EXPECTED_DIFFERENCES.get(scenario, (frozenset(), ""))
    assert hcl, f"{scenario}: the HCL scan gives no verdict, so parity would prove nothing"
    assert plan - hcl == set(), f"{scenario}: the plan scan gives verdicts the HCL scan does not"
    assert hcl - plan == only_hcl


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
@pytest.mark.skipif(
    not Path(os.environ.get("TF_PLUGIN_DIR", "/opt/tf-plugins")).is_dir(),
    reason="the AWS provider is not in TF_PLUGIN_DIR (default /opt/tf-plugins)",
)
def test_committed_plan_is_current(tmp_path):
    """The regenerate script still works, and the committed plan is what it makes from the example today."""
    scenario = "role_trust/cluster_jsonencode_passing"
    copy = tmp_path / "plans"
    environment = {**os.environ, "PARITY_PLANS_DIR": str(copy)}
    subprocess.run([str(REPO / "scripts" / "regenerate-plans.sh"), str(EXAMPLES / scenario)],
                   check=True, capture_output=True, env=environment, timeout=900)
    regenerated = json.loads((copy / scenario / "tfplan.json").read_text())
    committed = json.loads((PARITY_PLANS / scenario / "tfplan.json").read_text())
    for key in ("configuration", "planned_values", "resource_changes"):
        assert regenerated[key] == committed[key], key


# The same infrastructure in Terraform (scenario, resource) and CloudFormation (file, logical resource), judged by
# the same checks. Not twinned, because the infrastructure differs: network/serverless_workgroup (the template adds
# an S3 gateway endpoint), network/main_route_table_only.yaml (CloudFormation cannot route the main route table,
# which nat_main_route_table_passing does), lakehouse_serverless_failing.json (its policy also bans presigned
# URLs), the role-trust templates (their failing roles are open in other ways than the Terraform ones).
NETWORK = ("CKV_RSPEC_6", "CKV_RSPEC_7")
S3_ACCESS = ("CKV_RSPEC_1", "CKV_RSPEC_2", "CKV_RSPEC_3", "CKV_RSPEC_4")
AUDIT = ("CKV_RSPEC_8", "CKV_RSPEC_9")
CLOUDFORMATION_TWINS = [
    ("network/no_path_failing", "aws_redshift_cluster.warehouse",
     "/network/no_path.yaml", "AWS::Redshift::Cluster.Warehouse", NETWORK),
    ("network/glue_endpoint_private_dns_passing", "aws_redshift_cluster.lake",
     "/network/glue_and_s3_endpoints.yaml", "AWS::Redshift::Cluster.Lake", NETWORK),
    ("network/glue_endpoint_without_private_dns", "aws_redshift_cluster.analytics",
     "/network/glue_endpoint_without_private_dns.yaml", "AWS::Redshift::Cluster.Analytics", NETWORK),
    ("network/nat_explicit_association_passing", "aws_redshift_cluster.reporting",
     "/network/nat_explicit_association.yaml", "AWS::Redshift::Cluster.Reporting", NETWORK),
    ("network/internet_gateway_public_cluster_passing", "aws_redshift_cluster.sandbox",
     "/network/internet_gateway_public_cluster.yaml", "AWS::Redshift::Cluster.Sandbox", NETWORK),
    ("network/internet_gateway_private_cluster_failing", "aws_redshift_cluster.marketing",
     "/network/internet_gateway_private_cluster.yaml", "AWS::Redshift::Cluster.Marketing", NETWORK),
    ("network/security_group_blocks_443_failing", "aws_redshift_cluster.ops",
     "/network/security_group_blocks_443.yaml", "AWS::Redshift::Cluster.Ops", NETWORK),
    ("s3_access/vpce_restricted_lake_failing", "aws_redshift_cluster.analytics",
     "/s3_access/data_lake_restricted_failing.yaml", "AWS::Redshift::Cluster.AnalyticsCluster", NETWORK),
    ("s3_access/vpce_restricted_lake_failing", "aws_s3_bucket_policy.raw",
     "/s3_access/data_lake_restricted_failing.yaml", "AWS::S3::BucketPolicy.RawBucketPolicy", S3_ACCESS),
    ("s3_access/vpce_restricted_lake_failing", "aws_iam_role.spectrum",
     "/s3_access/data_lake_restricted_failing.yaml", "AWS::IAM::Role.SpectrumRole", ("CKV_RSPEC_5",)),
    ("s3_access/signature_age_limit_failing", "aws_s3_bucket_policy.events",
     "/s3_access/data_lake_restricted_failing.yaml", "AWS::S3::BucketPolicy.EventsBucketPolicy", S3_ACCESS),
    ("s3_access/principal_restricted_lake_passing", "aws_s3_bucket_policy.curated",
     "/s3_access/data_lake_principal_passing.yaml", "AWS::S3::BucketPolicy.CuratedBucketPolicy", S3_ACCESS),
    ("role_trust/serverless_namespace", "aws_iam_role.lakehouse",
     "/role_trust/serverless_namespace.json", "AWS::IAM::Role.LakehouseRole", ("CKV_RSPEC_5",)),
    ("audit/audited_lake_passing", "aws_s3_bucket.lake",
     "/audit/data_lake_audit.yaml", "AWS::S3::Bucket.LakeBucket", AUDIT),
    ("plan/audit", "aws_s3_bucket.staging", "/audit/data_lake_audit.yaml", "AWS::S3::Bucket.StagingBucket", AUDIT),
]


@pytest.mark.parametrize("scenario, resource, template, logical, checks", CLOUDFORMATION_TWINS,
                         ids=[f"{twin[0]}:{twin[1]}" for twin in CLOUDFORMATION_TWINS])
def test_cloudformation_twin_gives_the_same_verdicts(
    scenario, resource, template, logical, checks, terraform_examples_scan, cloudformation_examples_scan
):
    def verdicts(results, prefix, name):
        return {(check, result) for (check, file_path, found, result) in results
                if file_path.startswith(prefix) and found == name and check in checks}

    terraform = verdicts(terraform_examples_scan.results(), f"/{scenario}/", resource)
    cloudformation = verdicts(cloudformation_examples_scan.results(), template, logical)
    assert {check for check, _ in terraform} == set(checks)
    assert terraform == cloudformation
