"""CKV_RSPEC_7: with enhanced VPC routing, a cluster needs a path to Amazon S3.

AWS: with enhanced VPC routing, COPY and UNLOAD traffic to S3 goes through the cluster's VPC, so the VPC
needs a way to S3: a gateway or interface endpoint, a NAT gateway, or an internet gateway; and its
security groups must allow outbound HTTPS. Redshift Serverless routes Spectrum's S3 reads the same way.
"""
from __future__ import annotations

from functools import partial
from typing import Sequence

from spectrum_guard.estate.network import Placement, Service, SubnetPaths, Via
from spectrum_guard.rules import vpc_path
from spectrum_guard.rules.verdict import Rule


def _looked_for(vpc: str, route_table: str) -> str:
    return (
        f"a gateway endpoint for com.amazonaws.<region>.s3 on {route_table}, an S3 interface endpoint with private "
        f"DNS in {vpc}, or a 0.0.0.0/0 route in {route_table} to a NAT gateway, or to an internet gateway for a "
        "publicly accessible cluster"
    )


def _what_breaks(placement: Placement) -> str:
    if placement.kind == "Serverless workgroup":
        return "COPY, UNLOAD and Redshift Spectrum queries fail on S3."
    return "COPY and UNLOAD fail on S3."


def _endpoint_to_add(placement: Placement, blocked: Sequence[SubnetPaths]) -> str:
    vpc = blocked[0].vpc
    tables = list({id(subnet.route_table): subnet.route_table for subnet in blocked}.values())
    if placement.cloudformation:
        # CloudFormation cannot name a VPC's main route table: the subnets need one of their own.
        listed = ", ".join(
            (
                "a route table associated with the subnets"
                if table.default_of
                else f"!Ref {vpc_path.logical_id(table.name)}"
            )
            for table in tables
        )
        return (
            f"add an AWS::EC2::VPCEndpoint with VpcId: !Ref {vpc_path.logical_id(vpc)}, "
            'ServiceName: !Sub "com.amazonaws.${AWS::Region}.s3", VpcEndpointType: Gateway, '
            f"RouteTableIds: [{listed}], and allow TCP 443 egress to the S3 prefix list from the {placement.kind}'s "
            "security groups."
        )
    listed = ", ".join(vpc_path.terraform_route_table_id(table) for table in tables)
    return (
        f'add resource "aws_vpc_endpoint" "s3" {{ vpc_id = {vpc_path.terraform_id(vpc)}, '
        f'service_name = "com.amazonaws.<region>.s3", vpc_endpoint_type = "Gateway", route_table_ids = [{listed}] }}, '
        f"and allow TCP 443 egress to its prefix_list_id from the {placement.kind}'s security groups."
    )


NEED = vpc_path.Need(
    service=Service.S3,
    what="Amazon S3",
    looked_for=_looked_for,
    what_breaks=_what_breaks,
    endpoint_to_add=_endpoint_to_add,
    preferred=Via.GATEWAY_ENDPOINT,
)


RULE = Rule(
    id="CKV_RSPEC_7",
    name="Ensure Redshift with enhanced VPC routing has a network path to Amazon S3",
    severity="MEDIUM",
    category="NETWORKING",
    aws_source=vpc_path.ENHANCED_VPC_ROUTING,
    subjects=vpc_path.with_enhanced_routing,
    judge=partial(vpc_path.judge, need=NEED),
)
