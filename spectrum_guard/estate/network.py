"""The VPCs a Redshift cluster or workgroup runs in, and the question enhanced VPC routing asks of them:
from each of its subnets, is there a working way to a service (the Glue Data Catalog, S3)?

AWS routing as these objects follow it:
- a subnet uses its explicitly associated route table, else its VPC's main route table;
- an interface endpoint serves the whole VPC, but only with private DNS on does the service's default
  hostname resolve to it;
- a gateway endpoint serves the route tables it is associated with;
- a 0.0.0.0/0 route to a NAT gateway reaches the services' public endpoints when the NAT gateway is
  public and its own subnet's route table sends 0.0.0.0/0 to an internet gateway (an internet gateway
  drops a private NAT gateway's traffic); one to an internet gateway reaches them when the cluster has a
  public IP;
- the cluster's security groups must allow TCP 443 egress towards whichever of these it uses, and an
  interface endpoint's security groups must admit TCP 443 from the cluster.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from ipaddress import IPv4Network, ip_network
from typing import Any, List, Optional, Sequence, Tuple, Union

from spectrum_guard.estate.model import ResourceRef, Unresolved
from spectrum_guard.policy import Tristate, UnknownValue, all_of, any_of

INTERNET = "0.0.0.0/0"
HTTPS = 443


class Service(Enum):
    GLUE = "glue"
    S3 = "s3"


class Via(Enum):
    INTERFACE_ENDPOINT = "interface endpoint"
    GATEWAY_ENDPOINT = "gateway endpoint"
    NAT_GATEWAY = "NAT gateway"
    INTERNET_GATEWAY = "internet gateway"
    ROUTE_ELSEWHERE = "0.0.0.0/0 route"


class Problem(Enum):
    """Why a way out that exists does not work."""

    PRIVATE_DNS_OFF = "private DNS off"
    NOT_ON_ROUTE_TABLE = "not on the subnet's route table"
    NOT_PUBLIC = "no public IP"
    EGRESS_BLOCKED = "egress blocked"
    INGRESS_BLOCKED = "the endpoint does not admit the cluster"
    NAT_WITHOUT_INTERNET = "the NAT gateway has no way to the internet"


@dataclass(eq=False)
class SecurityGroup:
    name: str
    # None: the group's rules are not in the scan.
    egress: Optional[List[GroupRule]] = field(default_factory=list)
    ingress: Optional[List[GroupRule]] = field(default_factory=list)
    # False for a group named through a reference the scan cannot follow: it may be any group.
    in_scan: bool = True


@dataclass(frozen=True)
class GroupRule:
    """One peer of one security group rule: the destination of an egress rule, the source of an ingress
    rule. Unknown values are UnknownValue."""

    protocol: Any  # "-1", "all", "tcp", "6", ...
    from_port: Any = None
    to_port: Any = None
    cidr: Any = None
    # Service.S3 for the S3 managed prefix list; UnknownValue for any other list.
    prefix_list: Any = None
    security_group: Any = None

    def allows_https(self) -> Tristate:
        if isinstance(self.protocol, UnknownValue):
            return Tristate.UNKNOWN
        protocol = str(self.protocol).lower()
        if protocol in ("-1", "all"):
            return Tristate.TRUE
        if protocol not in ("tcp", "6"):
            return Tristate.FALSE
        low, high = _port(self.from_port), _port(self.to_port)
        if low is None or high is None:
            return Tristate.UNKNOWN
        return Tristate.of(low <= HTTPS <= high)

    def covers(self, network: Any) -> Tristate:
        """Whether the rule's CIDR holds every address of `network` (UnknownValue: a network not known)."""
        if self.cidr is None:
            return Tristate.FALSE
        rule = _network(self.cidr)
        if rule is None:
            return Tristate.UNKNOWN
        if not isinstance(rule, IPv4Network):
            return Tristate.FALSE
        if rule.prefixlen == 0:
            return Tristate.TRUE
        if isinstance(network, UnknownValue):
            return Tristate.UNKNOWN
        return Tristate.of(network.subnet_of(rule))

    def names_group_of(self, groups: Sequence[SecurityGroup]) -> Tristate:
        if self.security_group is None or not groups:
            return Tristate.FALSE
        if isinstance(self.security_group, UnknownValue):
            return Tristate.UNKNOWN
        if any(self.security_group is group for group in groups):
            return Tristate.TRUE
        return Tristate.UNKNOWN if any(not group.in_scan for group in groups) else Tristate.FALSE

    def names_s3_prefix_list(self) -> Tristate:
        if isinstance(self.prefix_list, UnknownValue):
            return Tristate.UNKNOWN
        return Tristate.of(self.prefix_list is Service.S3)


ALLOW_ALL_EGRESS = (GroupRule("-1", cidr=INTERNET),)


@dataclass(frozen=True)
class Destination:
    """Where a way out sends the cluster's HTTPS traffic, in the terms an egress rule can name."""

    description: str
    networks: Tuple[Any, ...] = ()  # IPv4Network or UnknownValue; traffic may go to any of them
    security_groups: Tuple[SecurityGroup, ...] = ()
    s3_prefix_list: bool = False


def egress_allowed(groups: Sequence[SecurityGroup], destination: Destination) -> Tristate:
    """Security groups add up: HTTPS leaves if any rule of any group allows it to the destination."""
    rules = [rule for group in groups for rule in group.egress or ()]
    by_reference = [all_of((rule.allows_https(), rule.names_group_of(destination.security_groups))) for rule in rules]
    if destination.s3_prefix_list:
        by_reference += [all_of((rule.allows_https(), rule.names_s3_prefix_list())) for rule in rules]
    by_address = (
        all_of(
            any_of(all_of((rule.allows_https(), rule.covers(network))) for rule in rules)
            for network in destination.networks
        )
        if destination.networks
        else Tristate.FALSE
    )
    unknown_groups = [Tristate.UNKNOWN for group in groups if group.egress is None]
    return any_of(by_reference + [by_address] + unknown_groups)


def ingress_allowed(groups: Sequence[SecurityGroup], sources: Sequence[SecurityGroup], subnet: Subnet) -> Tristate:
    """Whether an interface endpoint in `groups` admits HTTPS from a cluster in `sources` and `subnet`.

    A rule admits the cluster by naming one of its groups or a CIDR holding the subnet; a rule whose source
    is a prefix list may hold the subnet's addresses, which the scan cannot tell.
    """
    if not groups:
        return Tristate.UNKNOWN
    rules = [rule for group in groups for rule in group.ingress or ()]
    admitted = [
        all_of(
            (
                rule.allows_https(),
                any_of(
                    (
                        rule.names_group_of(sources),
                        _covers_subnet(rule, subnet),
                        Tristate.FALSE if rule.prefix_list is None else Tristate.UNKNOWN,
                    )
                ),
            )
        )
        for rule in rules
    ]
    unknown_groups = [Tristate.UNKNOWN for group in groups if group.ingress is None]
    return any_of(admitted + unknown_groups)


def _covers_subnet(rule: GroupRule, subnet: Subnet) -> Tristate:
    """A subnet whose CIDR is not known lies inside its VPC's: a rule holding the VPC holds the subnet, and a
    rule apart from the VPC holds none of it."""
    if subnet.cidr is not None:
        return rule.covers(subnet.cidr)
    vpc_cidr = None if isinstance(subnet.vpc, Unresolved) else subnet.vpc.cidr
    if vpc_cidr is not None:
        if rule.covers(vpc_cidr) is Tristate.TRUE:
            return Tristate.TRUE
        network = _network(rule.cidr)
        if isinstance(network, IPv4Network) and not network.overlaps(vpc_cidr):
            return Tristate.FALSE
    return rule.covers(UnknownValue(f"the CIDR of {subnet.name}"))


class Target(Enum):
    INTERNET_GATEWAY = "internet gateway"
    # Transit gateways, peering, appliances: traffic may go on, the scan cannot tell where.
    ELSEWHERE = "elsewhere"


@dataclass(eq=False)
class NatGateway:
    name: str
    # FALSE for a private NAT gateway (connectivity_type = "private").
    public: Tristate
    public_because: str
    subnet: Union[Subnet, Unresolved]


@dataclass(frozen=True)
class Route:
    destination: Any  # a CIDR string, UnknownValue, or None for a prefix-list destination
    target: Union[Target, NatGateway, UnknownValue]
    target_name: str


@dataclass(eq=False)
class RouteTable:
    name: str
    routes: List[Route] = field(default_factory=list)
    # The VPC whose default route table this is.
    default_of: Optional[str] = None


@dataclass(eq=False)
class VpcEndpoint:
    name: str
    service_name: Any  # "com.amazonaws.eu-west-1.glue", or UnknownValue (its pattern may still tell)
    kind: Any  # "Interface", "Gateway", "GatewayLoadBalancer", or UnknownValue
    private_dns: Tristate
    security_groups: List[SecurityGroup]
    subnets: List[Subnet] = field(default_factory=list)
    route_tables: List[RouteTable] = field(default_factory=list)
    # Route tables named through references the scan cannot follow.
    route_tables_unfollowed: List[str] = field(default_factory=list)
    # None when the endpoint's VPC is not known.
    vpc: Optional[Vpc] = None

    def serves(self, service: Service) -> Tristate:
        return names_service(self.service_name, service)


def names_service(service_name: Any, service: Service) -> Tristate:
    """Whether an endpoint service name (or prefix-list name) is the service's: com.amazonaws.<region>.glue."""
    if isinstance(service_name, UnknownValue):
        pattern = service_name.pattern
        if pattern and not pattern.endswith("*"):
            return Tristate.of(pattern.lower().endswith("." + service.value))
        return Tristate.UNKNOWN
    return Tristate.of(isinstance(service_name, str) and service_name.lower().endswith("." + service.value))


@dataclass(eq=False)
class Vpc:
    name: str
    cidr: Any  # IPv4Network, or None when not known
    main_route_table: Union[RouteTable, Unresolved]
    default_security_group: SecurityGroup
    endpoints: List[VpcEndpoint] = field(default_factory=list)


@dataclass(eq=False)
class Subnet:
    name: str
    cidr: Any  # IPv4Network, or None when not known
    vpc: Union[Vpc, Unresolved]
    # None: no explicit association, so the VPC's main route table.
    route_table: Union[RouteTable, Unresolved, None] = None


@dataclass(eq=False)
class Placement:
    """Where a provisioned cluster or a Serverless workgroup runs, as enhanced VPC routing sees it."""

    resource: ResourceRef
    kind: str  # "provisioned cluster", "Serverless workgroup"
    cloudformation: bool
    enhanced_vpc_routing: Union[bool, Unresolved]
    subnets: Union[List[Subnet], Unresolved]
    # None: none listed, so the VPC's default security group.
    security_groups: Optional[List[SecurityGroup]]
    publicly_accessible: Tristate
    # How publicly_accessible was decided, for messages ("publicly_accessible = true").
    public_because: str


@dataclass(frozen=True)
class Path:
    """One way out of a subnet towards a service, and whether it works."""

    via: Via
    through: str  # the endpoint, NAT gateway or internet gateway
    works: Tristate
    problems: Tuple[Problem, ...] = ()
    # Why it does not work, or might not: one sentence each.
    details: Tuple[str, ...] = ()
    destination: Optional[Destination] = None


@dataclass(frozen=True)
class SubnetPaths:
    subnet: str
    vpc: str
    route_table: RouteTable
    # False when the subnet has no association of its own and uses the VPC's main route table.
    associated: bool
    paths: Tuple[Path, ...]

    @property
    def reaches(self) -> Tristate:
        return any_of(path.works for path in self.paths)


@dataclass(eq=False)
class Network:
    placements: List[Placement] = field(default_factory=list)
    # Endpoints whose VPC the scan cannot tell: any of them may be in the cluster's VPC.
    stray_endpoints: List[VpcEndpoint] = field(default_factory=list)

    def paths_to(self, placement: Placement, service: Service) -> Union[List[SubnetPaths], Unresolved]:
        """Every subnet of the placement with its ways to the service; Unresolved when the chain breaks."""
        if isinstance(placement.subnets, Unresolved):
            return placement.subnets
        if not placement.subnets:
            return Unresolved(f"{placement.resource} lists no subnets", malformed=True)
        answers = []
        for subnet in placement.subnets:
            answer = self._subnet_paths(placement, subnet, service)
            if isinstance(answer, Unresolved):
                return answer
            answers.append(answer)
        return answers

    def _subnet_paths(self, placement: Placement, subnet: Subnet, service: Service) -> Union[SubnetPaths, Unresolved]:
        vpc = subnet.vpc
        if isinstance(vpc, Unresolved):
            return Unresolved(f"the VPC of subnet {subnet.name} cannot be followed: {vpc.reason}", vpc.malformed)
        table = vpc.main_route_table if subnet.route_table is None else subnet.route_table
        if isinstance(table, Unresolved):
            return Unresolved(
                f"the route table of subnet {subnet.name} cannot be followed: {table.reason}", table.malformed
            )
        groups = [vpc.default_security_group] if placement.security_groups is None else placement.security_groups
        paths = [
            path
            for endpoint in vpc.endpoints + self.stray_endpoints
            for path in _endpoint_path(endpoint, service, subnet, table, vpc, groups)
        ]
        paths += [path for route in table.routes for path in _route_path(route, service, placement, groups)]
        return SubnetPaths(subnet.name, vpc.name, table, subnet.route_table is not None, tuple(paths))


def _endpoint_path(
    endpoint: VpcEndpoint,
    service: Service,
    subnet: Subnet,
    table: RouteTable,
    vpc: Vpc,
    groups: Sequence[SecurityGroup],
) -> List[Path]:
    serves = endpoint.serves(service)
    if serves is Tristate.FALSE or endpoint.kind == "GatewayLoadBalancer":
        return []
    details: List[str] = []
    if serves is Tristate.UNKNOWN:
        details.append(f"its service name {_shown(endpoint.service_name)} is not known")
    if endpoint.vpc is None:
        details.append("its VPC is not known")
    if isinstance(endpoint.kind, UnknownValue):
        details.append(f"its type {_shown(endpoint.kind)} is not known")
        return [Path(Via.INTERFACE_ENDPOINT, endpoint.name, Tristate.UNKNOWN, details=tuple(details))]
    problems: List[Problem] = []
    if endpoint.kind == "Gateway":
        via, reached = Via.GATEWAY_ENDPOINT, _on_route_table(endpoint, table)
        destination = _public_destination(service)
        if reached is Tristate.FALSE:
            problems.append(Problem.NOT_ON_ROUTE_TABLE)
            details.append(f"its route tables do not include {table.name}")
        elif reached is Tristate.UNKNOWN:
            details.append(f"its route tables include {', '.join(endpoint.route_tables_unfollowed)}")
    else:
        via, reached = Via.INTERFACE_ENDPOINT, endpoint.private_dns
        destination = _endpoint_destination(endpoint, vpc)
        if reached is Tristate.FALSE:
            problems.append(Problem.PRIVATE_DNS_OFF)
            details.append(
                "private DNS is off, so the service's default hostname still resolves to its public endpoint"
            )
        elif reached is Tristate.UNKNOWN:
            details.append("whether private DNS is on is not known")
    egress = egress_allowed(groups, destination)
    _explain_egress(egress, groups, destination, problems, details)
    admitted = Tristate.TRUE
    if via is Via.INTERFACE_ENDPOINT:
        admitted = ingress_allowed(endpoint.security_groups, groups, subnet)
        _explain_ingress(admitted, endpoint, subnet, problems, details)
    in_vpc = Tristate.UNKNOWN if endpoint.vpc is None else Tristate.TRUE
    works = all_of((serves, in_vpc, reached, egress, admitted))
    return [Path(via, endpoint.name, works, tuple(problems), tuple(details), destination)]


def _route_path(route: Route, service: Service, placement: Placement, groups: Sequence[SecurityGroup]) -> List[Path]:
    if route.destination is None:
        return []
    default_route = _is_default_route(route.destination)
    if default_route is Tristate.FALSE:
        return []
    details: List[str] = []
    if default_route is Tristate.UNKNOWN:
        details.append(f"its destination {_shown(route.destination)} is not known")
    if isinstance(route.target, UnknownValue) or route.target is Target.ELSEWHERE:
        details.append("the scan cannot follow the traffic beyond it")
        return [Path(Via.ROUTE_ELSEWHERE, route.target_name, Tristate.UNKNOWN, details=tuple(details))]
    problems: List[Problem] = []
    destination = _public_destination(service)
    public = Tristate.TRUE
    via = Via.NAT_GATEWAY
    if isinstance(route.target, NatGateway):
        public = _nat_reaches_internet(route.target, problems, details)
    elif route.target is Target.INTERNET_GATEWAY:
        via, public = Via.INTERNET_GATEWAY, placement.publicly_accessible
        if public is Tristate.FALSE:
            problems.append(Problem.NOT_PUBLIC)
            details.append(f"the {placement.kind} has no public IP ({placement.public_because})")
        elif public is Tristate.UNKNOWN:
            details.append(f"whether the {placement.kind} has a public IP is not known ({placement.public_because})")
    egress = egress_allowed(groups, destination)
    _explain_egress(egress, groups, destination, problems, details)
    return [
        Path(
            via,
            route.target_name,
            all_of((default_route, public, egress)),
            tuple(problems),
            tuple(details),
            destination,
        )
    ]


def _nat_reaches_internet(nat: NatGateway, problems: List[Problem], details: List[str]) -> Tristate:
    """A NAT gateway sends traffic on by its own subnet's route table, and only a public one gets past an
    internet gateway. A route elsewhere (a transit gateway to a shared egress VPC, say) cannot be followed."""
    followed = _nat_route_table(nat)
    if isinstance(followed, Unresolved):
        details.append(followed.reason)
        return Tristate.UNKNOWN
    subnet, table = followed
    onward: List[Tristate] = []
    unfollowed: List[str] = []
    for route in table.routes:
        default_route = Tristate.FALSE if route.destination is None else _is_default_route(route.destination)
        if default_route is Tristate.FALSE:
            continue
        if route.target is Target.INTERNET_GATEWAY:
            onward.append(all_of((default_route, nat.public)))
        elif route.target is not nat:
            onward.append(Tristate.UNKNOWN)
            unfollowed.append(route.target_name)
    reaches = any_of(onward)
    where = f"its subnet {subnet.name} ({'route table ' + table.name if subnet.route_table else table.name})"
    if reaches is Tristate.FALSE:
        problems.append(Problem.NAT_WITHOUT_INTERNET)
        if nat.public is Tristate.FALSE:
            details.append(
                f"it is a private NAT gateway ({nat.public_because}), whose traffic an internet gateway drops, "
                f"and {where} sends 0.0.0.0/0 nowhere else"
            )
        else:
            details.append(f"{where} has no 0.0.0.0/0 route to an internet gateway")
    elif reaches is Tristate.UNKNOWN:
        if unfollowed:
            details.append(f"{where} sends 0.0.0.0/0 to {', '.join(unfollowed)}, which the scan cannot follow")
        else:
            details.append(f"whether {where} leads it to the internet is not known ({nat.public_because})")
    return reaches


def _nat_route_table(nat: NatGateway) -> Union[Tuple[Subnet, RouteTable], Unresolved]:
    subnet = nat.subnet
    if isinstance(subnet, Unresolved):
        return Unresolved(f"its subnet cannot be followed: {subnet.reason}", subnet.malformed)
    if isinstance(subnet.vpc, Unresolved):
        return Unresolved(f"the VPC of its subnet {subnet.name} cannot be followed: {subnet.vpc.reason}")
    table = subnet.vpc.main_route_table if subnet.route_table is None else subnet.route_table
    if isinstance(table, Unresolved):
        return Unresolved(f"the route table of its subnet {subnet.name} cannot be followed: {table.reason}")
    return subnet, table


def _explain_ingress(
    admitted: Tristate, endpoint: VpcEndpoint, subnet: Subnet, problems: List[Problem], details: List[str]
) -> None:
    names = ", ".join(group.name for group in endpoint.security_groups) or "not known"
    if admitted is Tristate.FALSE:
        problems.append(Problem.INGRESS_BLOCKED)
        details.append(
            f"its security groups ({names}) admit no TCP 443 from the cluster's security groups or from {subnet.name}"
        )
    elif admitted is Tristate.UNKNOWN:
        details.append(
            f"whether its security groups ({names}) admit TCP 443 from the cluster's security groups or from "
            f"{subnet.name} is not known"
        )


def _explain_egress(
    egress: Tristate,
    groups: Sequence[SecurityGroup],
    destination: Destination,
    problems: List[Problem],
    details: List[str],
) -> None:
    names = ", ".join(group.name for group in groups)
    if egress is Tristate.FALSE:
        problems.append(Problem.EGRESS_BLOCKED)
        details.append(f"security groups {names} allow no TCP 443 egress to {destination.description}")
    elif egress is Tristate.UNKNOWN:
        details.append(
            f"whether security groups {names} allow TCP 443 egress to {destination.description} is not known"
        )


def _on_route_table(endpoint: VpcEndpoint, table: RouteTable) -> Tristate:
    if any(associated is table for associated in endpoint.route_tables):
        return Tristate.TRUE
    return Tristate.UNKNOWN if endpoint.route_tables_unfollowed else Tristate.FALSE


def _public_destination(service: Service) -> Destination:
    if service is Service.S3:
        return Destination("S3 (the S3 prefix list, or 0.0.0.0/0)", (ip_network(INTERNET),), s3_prefix_list=True)
    return Destination("0.0.0.0/0 (the service's public endpoint)", (ip_network(INTERNET),))


def _endpoint_destination(endpoint: VpcEndpoint, vpc: Vpc) -> Destination:
    """The endpoint's network interfaces: in its subnets, inside the VPC, in its security groups."""
    networks: Tuple[Any, ...] = tuple(subnet.cidr for subnet in endpoint.subnets)
    if not networks or any(network is None for network in networks):
        networks = (vpc.cidr if vpc.cidr is not None else UnknownValue("the endpoint's addresses"),)
    group_names = ", ".join(group.name for group in endpoint.security_groups)
    return Destination(
        f"{endpoint.name} (its security group {group_names}, or its subnets' addresses)",
        networks,
        tuple(endpoint.security_groups),
    )


def _is_default_route(destination: Any) -> Tristate:
    if isinstance(destination, UnknownValue):
        return Tristate.UNKNOWN
    network = _network(destination)
    return Tristate.of(isinstance(network, IPv4Network) and network.prefixlen == 0)


def _network(value: Any) -> Any:
    return None if isinstance(value, UnknownValue) else parsed_network(str(value))


# Every path out of every subnet tests the same few CIDRs again; parsing them was a third of CKV_RSPEC_6/7.
@lru_cache(maxsize=4096)
def parsed_network(text: str) -> Any:
    """An ip_network, or None when the text is not one (an unresolved reference, say)."""
    try:
        return ip_network(text, strict=False)
    except ValueError:
        return None


def _port(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None  # int(True) is 1, but true is no port
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _shown(value: Any) -> str:
    return value.reason if isinstance(value, UnknownValue) else repr(value)
