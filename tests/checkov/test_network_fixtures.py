"""Adversarial CKV_RSPEC_6 / CKV_RSPEC_7 fixtures, scanned by real Checkov."""
import pytest

from checkov_runner import REPO, scan

FIXTURES = REPO / "tests" / "fixtures" / "network"
TF = "/main.tf"
CFN = "/template.yaml"
CHECKS = ("CKV_RSPEC_6", "CKV_RSPEC_7")


def _both(path, resource, glue, s3):
    return {("CKV_RSPEC_6", path, resource, glue), ("CKV_RSPEC_7", path, resource, s3)}


def _unknown_lines(stderr, resource):
    return [line for line in stderr.splitlines() if f"UNKNOWN for {resource} (" in line]


@pytest.fixture(scope="module")
def terraform_scan():
    return scan("-d", str(FIXTURES / "terraform"), "--check", ",".join(CHECKS), frameworks=("terraform",))


@pytest.fixture(scope="module")
def cloudformation_scan():
    return scan("-d", str(FIXTURES / "cloudformation"), "--check", ",".join(CHECKS), frameworks=("cloudformation",))


def test_terraform_results(terraform_scan):
    assert terraform_scan.results(*CHECKS) == (
        # The Terraform AWS provider leaves a group it creates with no egress rule: nothing leaves.
        _both(TF, "aws_redshift_cluster.no_egress", "FAILED", "FAILED")
        # Port ranges and protocol -1 cover 443; UDP and ports 80-442 do not, even together.
        | _both(TF, "aws_redshift_cluster.all_ports", "PASSED", "PASSED")
        | _both(TF, "aws_redshift_cluster.all_protocols", "PASSED", "PASSED")
        | _both(TF, "aws_redshift_cluster.udp_only", "FAILED", "FAILED")
        | _both(TF, "aws_redshift_cluster.below_https", "FAILED", "FAILED")
        # Egress to the S3 prefix list lets S3 traffic through the NAT gateway, not Glue traffic.
        | _both(TF, "aws_redshift_cluster.s3_prefix_behind_nat", "FAILED", "PASSED")
        # The VPC's default group, redefined by aws_default_security_group without rules.
        | _both(TF, "aws_redshift_cluster.default_group_redefined", "FAILED", "FAILED")
        # An S3 gateway endpoint on the subnet's route table, egress to its prefix list; no way to Glue.
        | _both(TF, "aws_redshift_cluster.s3_gateway_only", "FAILED", "PASSED")
        # An internet gateway: publicly_accessible absent and no provider version, so not public.
        | _both(TF, "aws_redshift_cluster.public_subnet_default_access", "FAILED", "FAILED")
        | _both(TF, "aws_redshift_cluster.elastic_ip", "PASSED", "PASSED")
        | _both(TF, "aws_redshift_cluster.hive_metastore", "SKIPPED", "PASSED")
        | _both(TF, "aws_redshiftserverless_workgroup.private", "PASSED", "PASSED")
        # Before AWS provider 6.0 an absent publicly_accessible is true.
        | _both("/provider_5/main.tf", "aws_redshift_cluster.legacy", "PASSED", "PASSED")
        # Checkov links module.green's subnets to module.blue's (NAT); the text names green's (no way out).
        | _both("/module_twice/main.tf", "aws_redshift_cluster.green", "FAILED", "FAILED")
        # A private NAT gateway (an internet gateway drops its traffic), and one whose own subnet has no route to an
        # internet gateway, are no way out.
        | _both("/nat_and_endpoint_ingress.tf", "aws_redshift_cluster.nat_private_connectivity", "FAILED", "FAILED")
        | _both("/nat_and_endpoint_ingress.tf", "aws_redshift_cluster.nat_stranded", "FAILED", "FAILED")
        # A Glue endpoint in the VPC's default group admits only that group's members, not the cluster's group;
        # one whose group, attached by aws_vpc_endpoint_security_group_association, admits the subnet does.
        | _both("/nat_and_endpoint_ingress.tf", "aws_redshift_cluster.endpoint_default_group", "FAILED", "PASSED")
        | _both("/nat_and_endpoint_ingress.tf", "aws_redshift_cluster.endpoint_group_attached", "PASSED", "PASSED")
        # routing_off and routing_absent have no result; the rest are UNKNOWN (below).
    )


@pytest.mark.parametrize(
    "resource, reason",
    [
        ("aws_redshift_cluster.routing_from_variable", "var.enhanced_vpc_routing"),
        ("aws_redshift_cluster.subnets_from_variable", "refers to var.subnet_ids"),
        ("aws_redshift_cluster.literal_subnets", "subnet-0123456789abcdef0, which the scan does not define"),
        ("aws_redshift_cluster.remote_state_subnets", "terraform_remote_state.network (remote state)"),
        ("aws_redshift_cluster.vpc_outside_scan", "the VPC of subnet aws_subnet.outside cannot be followed"),
        ("aws_redshift_cluster.no_subnet_group", "runs in the default VPC"),
        ("aws_redshift_cluster.transit_gateway", "transit gateway tgw-0123456789abcdef0"),
        ("aws_redshift_cluster.security_group_from_variable", "security groups var.security_group_id"),
        ("aws_redshiftserverless_workgroup.default_vpc", "names no subnet_ids"),
        ("aws_redshift_cluster.nat_subnet_from_variable", "its subnet cannot be followed: aws_nat_gateway"),
    ],
)
def test_terraform_unknowns_are_logged_with_their_reason(terraform_scan, resource, reason):
    lines = _unknown_lines(terraform_scan.stderr, resource)
    assert len(lines) == 2, terraform_scan.stderr
    assert all("WARNI" in line and reason in line for line in lines), lines


def test_routing_off_has_no_result_and_no_log(terraform_scan):
    for resource in ("aws_redshift_cluster.routing_off", "aws_redshift_cluster.routing_absent"):
        assert resource not in terraform_scan.stderr
        assert not [result for result in terraform_scan.results(*CHECKS) if result[2] == resource]


def test_route_table_repair_is_the_smallest_fix(terraform_scan):
    [message] = terraform_scan.details[("CKV_RSPEC_7", TF, "aws_redshift_cluster.public_subnet_default_access")]
    assert "its route tables do not include aws_route_table.public" in message
    assert message.endswith("Fix: add aws_route_table.public.id to the route_table_ids of aws_vpc_endpoint.s3.")


def test_skip_comment_carries_its_reason(terraform_scan):
    skipped = terraform_scan.raw["results"]["skipped_checks"]
    assert [(check["check_id"], check["check_result"]["suppress_comment"]) for check in skipped] == [
        ("CKV_RSPEC_6", "Catalog is a Hive metastore inside the VPC")
    ]


def test_cloudformation_results(cloudformation_scan):
    assert cloudformation_scan.results(*CHECKS) == (
        # No SecurityGroupEgress: CloudFormation keeps the allow-all rule.
        _both(CFN, "AWS::Redshift::Cluster.DefaultEgress", "PASSED", "PASSED")
        # SecurityGroupEgress replaces it; a separate AWS::EC2::SecurityGroupEgress adds 443 back.
        | _both(CFN, "AWS::Redshift::Cluster.SeparateEgress", "PASSED", "PASSED")
        | _both(CFN, "AWS::Redshift::Cluster.RedshiftPortOnly", "FAILED", "FAILED")
        # The VPC's default group, which the template cannot redefine: allow-all.
        | _both(CFN, "AWS::Redshift::Cluster.VpcDefaultGroup", "PASSED", "PASSED")
        # CKV_RSPEC_7 is UNKNOWN: the template does not say whose prefix list pl-6da54004 is.
        | {("CKV_RSPEC_6", CFN, "AWS::Redshift::Cluster.LiteralPrefixList", "FAILED")}
        | _both(CFN, "AWS::Redshift::Cluster.AthenaCatalog", "SKIPPED", "PASSED")
        # Enhanced routing only when IsProd: judged as deployed then, like LiteralPrefixList's subnets, but with
        # the VPC's allow-all default group.
        | _both(CFN, "AWS::Redshift::Cluster.ConditionalRouting", "FAILED", "PASSED")
        # A Fn::FindInMap with literal keys reads the template's Mappings: on here, off for RoutingOffFromMap.
        | _both(CFN, "AWS::Redshift::Cluster.RoutingOnFromMap", "PASSED", "PASSED")
        | {("CKV_RSPEC_7", CFN, "AWS::Redshift::Cluster.EndpointGroupFromParameter", "PASSED")}
        # ParameterSubnets, ImportedVpc and RoutingFromRegionMap are UNKNOWN;
        # RoutingOff, RoutingAbsent and RoutingOffFromMap have no result.
    )


@pytest.mark.parametrize(
    "resource, reason, count",
    [
        ("AWS::Redshift::Cluster.ParameterSubnets", "the parameter SubnetIds", 2),
        ("AWS::Redshift::Cluster.ImportedVpc", "Fn::ImportValue", 2),
        ("AWS::Redshift::Cluster.RoutingFromRegionMap", "EnhancedVpcRouting: Fn::FindInMap", 2),
        ("AWS::Redshift::Cluster.LiteralPrefixList", "whether security groups", 1),
        ("AWS::Redshift::Cluster.EndpointGroupFromParameter", "whether its security groups", 1),
    ],
)
def test_cloudformation_unknowns_are_logged(cloudformation_scan, resource, reason, count):
    lines = _unknown_lines(cloudformation_scan.stderr, resource)
    assert len(lines) == count and all(reason in line for line in lines), cloudformation_scan.stderr


def test_routing_off_in_the_templates_mappings_has_no_result_and_no_log(cloudformation_scan):
    resource = "AWS::Redshift::Cluster.RoutingOffFromMap"
    assert resource not in cloudformation_scan.stderr
    assert not [result for result in cloudformation_scan.results(*CHECKS) if result[2] == resource]


def test_nothing_logged_at_error(terraform_scan, cloudformation_scan):
    for one in (terraform_scan, cloudformation_scan):
        assert "ERROR" not in one.stderr, one.stderr
