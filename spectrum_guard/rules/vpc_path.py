"""What CKV_RSPEC_6 and CKV_RSPEC_7 share: with enhanced VPC routing on, traffic to a service must find a
way out through the cluster's own VPC. Each asks the estate's network model for the paths to its
service, and reports every subnet without one, what was found there, and the smallest fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

from spectrum_guard.estate import Estate, Unresolved
from spectrum_guard.estate.network import Path, Placement, Problem, RouteTable, Service, SubnetPaths, Via
from spectrum_guard.policy import Tristate
from spectrum_guard.rules.verdict import Outcome, Verdict

ENHANCED_VPC_ROUTING = "https://docs.aws.amazon.com/redshift/latest/mgmt/enhanced-vpc-routing.html"


@dataclass(frozen=True)
class Need:
    """One service the cluster must reach, in the words its messages use."""

    service: Service
    what: str  # "the AWS Glue Data Catalog"
    looked_for: Callable[[str, str], str]  # (VPC, route table) -> the ways out that would do
    what_breaks: Callable[[Placement], str]
    # The endpoint to add when no existing way out can be repaired: Terraform, CloudFormation.
    endpoint_to_add: Callable[[Placement, Sequence[SubnetPaths]], str]
    # The kind of endpoint the fix recommends first.
    preferred: Via


def with_enhanced_routing(estate: Estate) -> List[Placement]:
    return [placement for placement in estate.network.placements if placement.enhanced_vpc_routing is not False]


def judge(placement: Placement, estate: Estate, need: Need) -> Verdict:
    subject = placement.resource
    if isinstance(placement.enhanced_vpc_routing, Unresolved):
        reason = placement.enhanced_vpc_routing.reason
        return Verdict(subject, Outcome.UNKNOWN, f"whether enhanced VPC routing is on is not known: {reason}")
    answer = estate.network.paths_to(placement, need.service)
    if isinstance(answer, Unresolved):
        return Verdict(
            subject,
            Outcome.UNKNOWN,
            f"its path to {need.what} cannot be followed inside the scan: {answer.reason}",
            malformed=answer.malformed,
        )
    blocked = [subnet for subnet in answer if subnet.reaches is Tristate.FALSE]
    if blocked:
        return Verdict(subject, Outcome.FAILED, _failure(placement, need, blocked))
    undecided = [subnet for subnet in answer if subnet.reaches is Tristate.UNKNOWN]
    if undecided:
        return Verdict(subject, Outcome.UNKNOWN, _undecided(need, undecided))
    ways = sorted(
        {
            f"{path.via.value} {path.through}"
            for subnet in answer
            for path in subnet.paths
            if path.works is Tristate.TRUE
        }
    )
    return Verdict(
        subject, Outcome.PASSED, f"every subnet of {subject} reaches {need.what} (through {', '.join(ways)})."
    )


def _failure(placement: Placement, need: Need, blocked: List[SubnetPaths]) -> str:
    groups = _by_route_table(blocked)
    findings = []
    for subnets in groups.values():
        first = subnets[0]
        table = first.route_table
        if first.associated:
            uses = f"route table {table.name}"
        else:
            main = "" if table.default_of else f" {table.name}"
            uses = f"no route table association, so the VPC's main route table{main}"
        where = f"{_plural('subnet', [s.subnet for s in subnets])} (VPC {first.vpc}, {uses})"
        failing = [path for path in first.paths if path.works is Tristate.FALSE]
        if failing:
            found = "; ".join(f"{path.via.value} {path.through}: {', '.join(path.details)}" for path in failing)
        else:
            found = f"looked for {need.looked_for(first.vpc, first.route_table.name)}, and found none"
        findings.append(f"{where} {'have' if len(subnets) > 1 else 'has'} no working path to {need.what}: {found}")
    return (
        f"{placement.kind} {placement.resource} has enhanced VPC routing on, so its traffic to {need.what} must "
        f"leave through its own VPC, but {'; and '.join(findings)}. {need.what_breaks(placement)} "
        f"Fix: {_fix(placement, need, blocked)}"
    )


def _undecided(need: Need, undecided: List[SubnetPaths]) -> str:
    reasons = sorted(
        {
            f"{path.via.value} {path.through}: {', '.join(path.details)}"
            for subnet in undecided
            for path in subnet.paths
            if path.works is Tristate.UNKNOWN
        }
    )
    subnets = [subnet.subnet for subnet in undecided]
    verb = "reach" if len(subnets) > 1 else "reaches"
    return f"whether {_plural('subnet', subnets)} {verb} {need.what} cannot be decided: {'; '.join(reasons)}"


def _fix(placement: Placement, need: Need, blocked: List[SubnetPaths]) -> str:
    """Repair an endpoint that is nearly right, else add the recommended one."""
    for subnet in blocked:
        endpoints = [path for path in subnet.paths if path.via is need.preferred and path.problems]
        repairable = [path for path in endpoints if set(path.problems) <= _REPAIRABLE]
        if repairable:
            return (
                " and ".join(
                    _repair(placement, problem, repairable[0], subnet.route_table) for problem in repairable[0].problems
                )
                + "."
            )
    return need.endpoint_to_add(placement, blocked)


_REPAIRABLE = {Problem.PRIVATE_DNS_OFF, Problem.NOT_ON_ROUTE_TABLE, Problem.EGRESS_BLOCKED, Problem.INGRESS_BLOCKED}


def _repair(placement: Placement, problem: Problem, path: Path, table: RouteTable) -> str:
    cloudformation = placement.cloudformation
    if problem is Problem.PRIVATE_DNS_OFF:
        return f"set {'PrivateDnsEnabled: true' if cloudformation else 'private_dns_enabled = true'} on {path.through}"
    if problem is Problem.NOT_ON_ROUTE_TABLE:
        if cloudformation:
            return f"add {logical_id(table.name)} to the RouteTableIds of {path.through}"
        return f"add {terraform_route_table_id(table)} to the route_table_ids of {path.through}"
    if problem is Problem.INGRESS_BLOCKED:
        rule = "an AWS::EC2::SecurityGroupIngress" if cloudformation else "an aws_vpc_security_group_ingress_rule"
        return (
            f"admit TCP 443 from the {placement.kind}'s security group with {rule} "
            f"on the security group of {path.through}"
        )
    rule = "an AWS::EC2::SecurityGroupEgress" if cloudformation else "an aws_vpc_security_group_egress_rule"
    towards = path.destination.description if path.destination else path.through
    return f"allow TCP 443 egress to {towards} with {rule} on the {placement.kind}'s security group"


def _by_route_table(subnets: List[SubnetPaths]) -> Dict[Tuple[int, str, bool], List[SubnetPaths]]:
    groups: Dict[Tuple[int, str, bool], List[SubnetPaths]] = {}
    for subnet in subnets:
        groups.setdefault((id(subnet.route_table), subnet.vpc, subnet.associated), []).append(subnet)
    return groups


def _plural(noun: str, names: Sequence[str]) -> str:
    return f"{noun}{'s' if len(names) > 1 else ''} {', '.join(names)}"


def logical_id(address: str) -> str:
    """CloudFormation addresses read "AWS::EC2::VPC.Vpc": the logical ID is the last part."""
    return address.rsplit(".", 1)[-1]


def terraform_id(address: str, attribute: str = "id") -> str:
    """How a root module names a resource's attribute; inside a module, only the module's outputs can."""
    if address.startswith("module."):
        return f"<the {attribute} of {address}>"
    return f"{address}.{attribute}"


def terraform_route_table_id(table: RouteTable) -> str:
    if table.default_of:
        return terraform_id(table.default_of, "main_route_table_id")
    return terraform_id(table.name)


def subnet_list(placement: Placement, subnets: Sequence[SubnetPaths]) -> str:
    names = sorted({subnet.subnet for subnet in subnets})
    if placement.cloudformation:
        return ", ".join(f"!Ref {logical_id(name)}" for name in names)
    return ", ".join(terraform_id(name) for name in names)
