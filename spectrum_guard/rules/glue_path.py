"""CKV_RSPEC_6: with enhanced VPC routing, a cluster needs a path to the AWS Glue Data Catalog.

AWS: with enhanced VPC routing, the cluster must reach the Glue Data Catalog through its VPC: an
interface VPC endpoint for AWS Glue (with private DNS, the default Glue hostname resolves to it), a NAT
gateway, or an internet gateway with a public IP; and its security groups must allow outbound HTTPS.
"""
from __future__ import annotations

from functools import partial
from typing import Sequence

from spectrum_guard.estate.network import Placement, Service, SubnetPaths, Via
from spectrum_guard.rules import vpc_path
from spectrum_guard.rules.verdict import Rule


def _looked_for(vpc: str, route_table: str) -> str:
    return (
        f"an interface endpoint for com.amazonaws.<region>.glue with private DNS in {vpc}, or a 0.0.0.0/0 route "
        f"in {route_table} to a NAT gateway, or to an internet gateway for a publicly accessible cluster"
    )


def _what_breaks(placement: Placement) -> str:
    return "Redshift Spectrum queries fail on the catalog lookup."


def _endpoint_to_add(placement: Placement, blocked: Sequence[SubnetPaths]) -> str:
    vpc, subnets = blocked[0].vpc, vpc_path.subnet_list(placement, blocked)
    if placement.cloudformation:
        return (
            f"add an AWS::EC2::VPCEndpoint with VpcId: !Ref {vpc_path.logical_id(vpc)}, "
            'ServiceName: !Sub "com.amazonaws.${AWS::Region}.glue", VpcEndpointType: Interface, '
            f"PrivateDnsEnabled: true, SubnetIds: [{subnets}], and SecurityGroupIds that admit TCP 443 from the "
            f"{placement.kind}'s security groups (which must allow that egress). "
            "It needs no public IP and no open egress."
        )
    return (
        f'add resource "aws_vpc_endpoint" "glue" {{ vpc_id = {vpc_path.terraform_id(vpc)}, '
        f'service_name = "com.amazonaws.<region>.glue", vpc_endpoint_type = "Interface", '
        f"private_dns_enabled = true, subnet_ids = [{subnets}], security_group_ids = [a group that admits TCP 443 "
        f"from the {placement.kind}] }}, and allow TCP 443 egress to it from the {placement.kind}'s security groups. "
        "It needs no public IP and no open egress."
    )


NEED = vpc_path.Need(
    service=Service.GLUE,
    what="the AWS Glue Data Catalog",
    looked_for=_looked_for,
    what_breaks=_what_breaks,
    endpoint_to_add=_endpoint_to_add,
    preferred=Via.INTERFACE_ENDPOINT,
)


RULE = Rule(
    id="CKV_RSPEC_6",
    name="Ensure Redshift with enhanced VPC routing has a network path to the AWS Glue Data Catalog",
    severity="MEDIUM",
    category="NETWORKING",
    aws_source="https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html",
    subjects=vpc_path.with_enhanced_routing,
    judge=partial(vpc_path.judge, need=NEED),
)
