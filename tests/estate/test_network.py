"""The network model and its one question, paths_to, on hand-built VPCs (no Checkov)."""
from __future__ import annotations

from ipaddress import ip_network

import pytest

from spectrum_guard.estate import ResourceRef, Unresolved
from spectrum_guard.estate.network import (
    ALLOW_ALL_EGRESS,
    Destination,
    GroupRule,
    NatGateway,
    Network,
    Placement,
    Problem,
    Route,
    RouteTable,
    SecurityGroup,
    Service,
    Subnet,
    Target,
    Via,
    Vpc,
    VpcEndpoint,
    egress_allowed,
    ingress_allowed,
    names_service,
)
from spectrum_guard.policy import Tristate, UnknownValue

T, F, U = Tristate.TRUE, Tristate.FALSE, Tristate.UNKNOWN
INTERNET = Destination("the internet", (ip_network("0.0.0.0/0"),))
S3_PUBLIC = Destination("S3", (ip_network("0.0.0.0/0"),), s3_prefix_list=True)


def https(**destination) -> GroupRule:
    return GroupRule("tcp", 443, 443, **destination)


def group(*rules: GroupRule) -> SecurityGroup:
    return SecurityGroup("sg", list(rules))


@pytest.mark.parametrize(
    "rule, expected",
    [
        (GroupRule("-1", cidr="0.0.0.0/0"), T),
        (GroupRule("all", cidr="0.0.0.0/0"), T),
        (GroupRule("tcp", 0, 65535, cidr="0.0.0.0/0"), T),
        (GroupRule("6", "443", "443", cidr="0.0.0.0/0"), T),
        (GroupRule("tcp", 80, 442, cidr="0.0.0.0/0"), F),
        (GroupRule("udp", 443, 443, cidr="0.0.0.0/0"), F),
        (GroupRule("tcp", "egress.value.from", 443, cidr="0.0.0.0/0"), U),
        (GroupRule(UnknownValue("var.protocol"), cidr="0.0.0.0/0"), U),
        (GroupRule("tcp", True, True, cidr="0.0.0.0/0"), U),  # true is no port, though int(True) is 1
        (https(cidr="10.0.0.0/8"), F),
        (https(cidr=UnknownValue("var.cidr")), U),
        (https(cidr="aws_vpc.main.cidr_block"), U),
        (https(cidr="::/0"), F),
    ],
)
def test_egress_to_the_internet_needs_443_to_everywhere(rule, expected):
    assert egress_allowed([group(rule)], INTERNET) is expected


def test_groups_add_up_and_an_unknown_group_leaves_a_denial_undecided():
    deny, allow, unknown = group(), group(https(cidr="0.0.0.0/0")), SecurityGroup("var.sg", egress=None)
    assert egress_allowed([deny], INTERNET) is F
    assert egress_allowed([deny, allow], INTERNET) is T
    assert egress_allowed([deny, unknown], INTERNET) is U
    assert egress_allowed([unknown, allow], INTERNET) is T
    assert egress_allowed([SecurityGroup("default", list(ALLOW_ALL_EGRESS))], S3_PUBLIC) is T


def test_an_endpoint_is_reached_through_its_group_or_every_one_of_its_subnets():
    endpoint_group = SecurityGroup("endpoints")
    endpoint = Destination(
        "endpoint", (ip_network("10.0.1.0/24"), ip_network("10.0.2.0/24")), security_groups=(endpoint_group,)
    )
    assert egress_allowed([group(https(security_group=endpoint_group))], endpoint) is T
    assert egress_allowed([group(https(security_group=SecurityGroup("other")))], endpoint) is F
    assert egress_allowed([group(https(security_group=UnknownValue("var.sg")))], endpoint) is U
    assert egress_allowed([group(https(cidr="10.0.1.0/24"))], endpoint) is F
    assert egress_allowed([group(https(cidr="10.0.1.0/24"), https(cidr="10.0.2.0/24"))], endpoint) is T
    assert egress_allowed([group(https(cidr="10.0.0.0/16"))], endpoint) is T


def test_the_s3_prefix_list_admits_s3_traffic_only():
    s3_list = group(https(prefix_list=Service.S3))
    assert egress_allowed([s3_list], S3_PUBLIC) is T
    assert egress_allowed([s3_list], INTERNET) is F
    assert egress_allowed([group(https(prefix_list=UnknownValue("pl-0123")))], S3_PUBLIC) is U


@pytest.mark.parametrize(
    "service_name, service, expected",
    [
        ("com.amazonaws.eu-west-1.glue", Service.GLUE, T),
        ("com.amazonaws.eu-west-1.s3", Service.GLUE, F),
        ("com.amazonaws.eu-west-1.s3express", Service.S3, F),
        ("COM.AMAZONAWS.EU-WEST-1.S3", Service.S3, T),
        (UnknownValue("Fn::Sub", pattern="com.amazonaws.*.glue"), Service.GLUE, T),
        (UnknownValue("Fn::Sub", pattern="com.amazonaws.*.s3"), Service.GLUE, F),
        (UnknownValue("var.service"), Service.GLUE, U),
        (UnknownValue("Fn::Sub", pattern="com.amazonaws.eu-west-1.*"), Service.S3, U),
        (None, Service.S3, F),
    ],
)
def test_service_names(service_name, service, expected):
    assert names_service(service_name, service) is expected


# A small VPC: the subnet's route table and its main route table, and the endpoints in it.


def vpc() -> Vpc:
    main = RouteTable("main", default_of="aws_vpc.main")
    default = SecurityGroup("default", list(ALLOW_ALL_EGRESS))
    default.ingress = [GroupRule("-1", security_group=default)]
    return Vpc("aws_vpc.main", ip_network("10.0.0.0/16"), main, default)


def placement(*subnets, groups=None, public=F) -> Placement:
    return Placement(
        resource=ResourceRef(0, "aws_redshift_cluster.c", "main.tf"),
        kind="provisioned cluster",
        cloudformation=False,
        enhanced_vpc_routing=True,
        subnets=list(subnets),
        security_groups=groups,
        publicly_accessible=public,
        public_because="publicly_accessible = false",
    )


def nat_gateway(*routes: Route, public=T) -> NatGateway:
    """A NAT gateway in a subnet whose route table has `routes` (by default, to an internet gateway)."""
    edge = Subnet("aws_subnet.public", None, vpc(), RouteTable("aws_route_table.public", list(routes or [igw()])))
    return NatGateway("aws_nat_gateway.n", public, "connectivity_type is absent and defaults to public", edge)


def nat(destination="0.0.0.0/0", gateway=None) -> Route:
    return Route(destination, gateway or nat_gateway(), "aws_nat_gateway.n")


def igw() -> Route:
    return Route("0.0.0.0/0", Target.INTERNET_GATEWAY, "aws_internet_gateway.i")


def interface(the_vpc, service="glue", private_dns=T, groups=()) -> VpcEndpoint:
    name = f"com.amazonaws.eu-west-1.{service}"
    groups = list(groups) or [the_vpc.default_security_group]
    endpoint = VpcEndpoint(f"aws_vpc_endpoint.{service}", name, "Interface", private_dns, groups, vpc=the_vpc)
    the_vpc.endpoints.append(endpoint)
    return endpoint


def only(answer):
    assert not isinstance(answer, Unresolved), answer
    [subnet] = answer
    return subnet


def test_a_subnet_without_association_uses_the_main_route_table():
    the_vpc = vpc()
    the_vpc.main_route_table.routes.append(nat())
    subnet = Subnet("aws_subnet.a", None, the_vpc)
    answer = only(Network().paths_to(placement(subnet), Service.GLUE))
    assert answer.reaches is T and answer.route_table is the_vpc.main_route_table and not answer.associated
    assert [(path.via, path.through) for path in answer.paths] == [(Via.NAT_GATEWAY, "aws_nat_gateway.n")]


def test_an_explicit_association_replaces_the_main_route_table():
    the_vpc = vpc()
    the_vpc.main_route_table.routes.append(nat())
    subnet = Subnet("aws_subnet.a", None, the_vpc, RouteTable("aws_route_table.isolated"))
    answer = only(Network().paths_to(placement(subnet), Service.GLUE))
    assert answer.reaches is F and answer.paths == () and answer.associated


def test_only_a_default_route_leads_out():
    subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [nat("10.1.0.0/16"), nat(None)]))
    assert only(Network().paths_to(placement(subnet), Service.GLUE)).paths == ()
    unknown = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [nat(UnknownValue("var.cidr"))]))
    assert only(Network().paths_to(placement(unknown), Service.GLUE)).reaches is U


def test_an_internet_gateway_needs_a_public_ip():
    subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [igw()]))
    [path] = only(Network().paths_to(placement(subnet, public=F), Service.S3)).paths
    assert (path.via, path.works, path.problems) == (Via.INTERNET_GATEWAY, F, (Problem.NOT_PUBLIC,))
    assert only(Network().paths_to(placement(subnet, public=T), Service.S3)).reaches is T
    assert only(Network().paths_to(placement(subnet, public=U), Service.S3)).reaches is U


def test_a_route_elsewhere_cannot_be_followed():
    subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [Route("0.0.0.0/0", Target.ELSEWHERE, "tgw-1")]))
    [path] = only(Network().paths_to(placement(subnet), Service.GLUE)).paths
    assert (path.via, path.works) == (Via.ROUTE_ELSEWHERE, U)


def test_a_glue_interface_endpoint_needs_private_dns_and_serves_every_subnet():
    the_vpc = vpc()
    interface(the_vpc, private_dns=F)
    subnet = Subnet("aws_subnet.a", ip_network("10.0.1.0/24"), the_vpc, RouteTable("rt"))
    [path] = only(Network().paths_to(placement(subnet), Service.GLUE)).paths
    assert (path.via, path.works, path.problems) == (Via.INTERFACE_ENDPOINT, F, (Problem.PRIVATE_DNS_OFF,))
    the_vpc.endpoints[0].private_dns = T
    assert only(Network().paths_to(placement(subnet), Service.GLUE)).reaches is T
    assert only(Network().paths_to(placement(subnet), Service.S3)).paths == ()


def test_the_endpoint_must_be_reachable_through_the_clusters_groups():
    the_vpc = vpc()
    endpoint_group = SecurityGroup("endpoints")
    interface(the_vpc, groups=[endpoint_group])
    subnet = Subnet("aws_subnet.a", None, the_vpc, RouteTable("rt"))
    endpoint_group.ingress = [https(cidr="10.0.0.0/16")]
    [path] = only(Network().paths_to(placement(subnet, groups=[group()]), Service.GLUE)).paths
    assert (path.works, path.problems) == (F, (Problem.EGRESS_BLOCKED,))
    to_endpoint = group(https(security_group=endpoint_group))
    assert only(Network().paths_to(placement(subnet, groups=[to_endpoint]), Service.GLUE)).reaches is T
    # No group listed: the VPC's default group, which allows all egress.
    assert only(Network().paths_to(placement(subnet, groups=None), Service.GLUE)).reaches is T


def test_a_gateway_endpoint_serves_the_route_tables_it_is_associated_with():
    the_vpc = vpc()
    table = RouteTable("aws_route_table.private")
    endpoint = VpcEndpoint("aws_vpc_endpoint.s3", "com.amazonaws.eu-west-1.s3", "Gateway", F, [], vpc=the_vpc)
    the_vpc.endpoints.append(endpoint)
    subnet = Subnet("aws_subnet.a", None, the_vpc, table)
    [path] = only(Network().paths_to(placement(subnet), Service.S3)).paths
    assert (path.via, path.works, path.problems) == (Via.GATEWAY_ENDPOINT, F, (Problem.NOT_ON_ROUTE_TABLE,))
    endpoint.route_tables_unfollowed.append("var.route_table_ids")
    assert only(Network().paths_to(placement(subnet), Service.S3)).reaches is U
    endpoint.route_tables.append(table)
    assert only(Network().paths_to(placement(subnet), Service.S3)).reaches is T
    assert only(Network().paths_to(placement(subnet), Service.GLUE)).paths == ()


def test_an_endpoint_whose_vpc_is_not_known_may_be_the_way():
    stray = VpcEndpoint("aws_vpc_endpoint.glue", "com.amazonaws.eu-west-1.glue", "Interface", T, [])
    subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt"))
    answer = only(Network(stray_endpoints=[stray]).paths_to(placement(subnet), Service.GLUE))
    assert answer.reaches is U and "its VPC is not known" in answer.paths[0].details


def test_every_subnet_is_answered_and_a_broken_chain_is_unresolved():
    the_vpc = vpc()
    good = Subnet("aws_subnet.a", None, the_vpc, RouteTable("rt", [nat()]))
    bad = Subnet("aws_subnet.b", None, the_vpc, RouteTable("rt2"))
    assert [s.reaches for s in Network().paths_to(placement(good, bad), Service.GLUE)] == [T, F]
    outside = Subnet("aws_subnet.c", None, Unresolved("vpc_id refers to var.vpc_id"))
    answer = Network().paths_to(placement(good, outside), Service.GLUE)
    assert isinstance(answer, Unresolved) and "aws_subnet.c" in answer.reason and "var.vpc_id" in answer.reason
    the_vpc.main_route_table = Unresolved("route_table_id refers to var.main")
    assert isinstance(Network().paths_to(placement(Subnet("aws_subnet.d", None, the_vpc)), Service.S3), Unresolved)
    assert Network().paths_to(placement(), Service.S3) == Unresolved("aws_redshift_cluster.c lists no subnets", True)


def test_a_nat_gateway_leads_out_only_if_public_and_its_subnet_routes_to_an_internet_gateway():
    def reaches(gateway):
        subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [nat(gateway=gateway)]))
        [path] = only(Network().paths_to(placement(subnet), Service.GLUE)).paths
        return path

    assert reaches(nat_gateway()).works is T
    # A NAT gateway in a private subnet: its route table has no default route, or one to a NAT gateway.
    stranded = reaches(nat_gateway(Route("10.9.0.0/16", Target.INTERNET_GATEWAY, "igw")))
    assert (stranded.works, stranded.problems) == (F, (Problem.NAT_WITHOUT_INTERNET,))
    assert "has no 0.0.0.0/0 route to an internet gateway" in stranded.details[0]
    # A private NAT gateway: the internet gateway drops its traffic.
    private = reaches(nat_gateway(public=F))
    assert (private.works, private.problems) == (F, (Problem.NAT_WITHOUT_INTERNET,))
    assert "private NAT gateway" in private.details[0]
    # Onward through a transit gateway, or a connectivity type not known: undecided.
    assert reaches(nat_gateway(Route("0.0.0.0/0", Target.ELSEWHERE, "tgw-1"), public=F)).works is U
    assert reaches(nat_gateway(public=U)).works is U
    assert reaches(nat_gateway(Route(UnknownValue("var.cidr"), Target.INTERNET_GATEWAY, "igw"))).works is U


def test_a_nat_gateway_routed_to_itself_and_one_whose_subnet_cannot_be_followed():
    looped = nat_gateway(Route("0.0.0.0/0", Target.ELSEWHERE, "placeholder"))
    looped.subnet.route_table.routes[:] = [Route("0.0.0.0/0", looped, looped.name)]
    subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [nat(gateway=looped)]))
    assert only(Network().paths_to(placement(subnet), Service.GLUE)).reaches is F
    outside = NatGateway("nat-0abc", U, "nat-0abc is not defined in the scan", Unresolved("not in the scan"))
    subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [nat(gateway=outside)]))
    [path] = only(Network().paths_to(placement(subnet), Service.S3)).paths
    assert path.works is U and "its subnet cannot be followed" in path.details[0]
    # The NAT gateway's subnet without an association uses its VPC's main route table.
    main_only = nat_gateway()
    main_only.subnet.route_table = None
    subnet = Subnet("aws_subnet.a", None, vpc(), RouteTable("rt", [nat(gateway=main_only)]))
    assert only(Network().paths_to(placement(subnet), Service.S3)).reaches is F
    main_only.subnet.vpc.main_route_table.routes.append(igw())
    assert only(Network().paths_to(placement(subnet), Service.S3)).reaches is T


def test_an_interface_endpoint_must_admit_the_cluster():
    cluster, other = SecurityGroup("cluster"), SecurityGroup("other")
    subnet = Subnet("aws_subnet.a", ip_network("10.0.1.0/24"), vpc(), RouteTable("rt"))

    def admits(*rules, groups_in_scan=True):
        endpoint = SecurityGroup("endpoint", ingress=list(rules))
        sources = [cluster] if groups_in_scan else [SecurityGroup("var.sg", None, None, in_scan=False)]
        return ingress_allowed([endpoint], sources, subnet)

    assert admits() is F
    assert admits(https(security_group=cluster)) is T
    assert admits(https(security_group=other)) is F
    assert admits(https(security_group=other), groups_in_scan=False) is U
    assert admits(GroupRule("tcp", 80, 80, security_group=cluster)) is F
    assert admits(https(cidr="10.0.0.0/16")) is T and admits(https(cidr="10.0.2.0/24")) is F
    assert admits(https(cidr=UnknownValue("var.cidr"))) is U
    assert admits(https(prefix_list=UnknownValue("pl-1"))) is U
    assert admits(https(security_group=UnknownValue("var.sg"))) is U
    assert ingress_allowed([SecurityGroup("unreadable", ingress=None)], [cluster], subnet) is U
    assert ingress_allowed([], [cluster], subnet) is U  # the endpoint's groups are not known
    # A subnet whose CIDR is not known: a rule holding its VPC's CIDR holds it.
    unsized = Subnet("aws_subnet.b", None, vpc(), RouteTable("rt"))
    assert ingress_allowed([SecurityGroup("e", ingress=[https(cidr="10.0.0.0/8")])], [cluster], unsized) is T
    assert ingress_allowed([SecurityGroup("e", ingress=[https(cidr="10.0.1.0/24")])], [cluster], unsized) is U
    assert ingress_allowed([SecurityGroup("e", ingress=[https(cidr="192.168.0.0/16")])], [cluster], unsized) is F


def test_an_endpoint_that_rejects_the_cluster_is_no_path():
    the_vpc = vpc()
    rejecting = SecurityGroup("endpoints")
    interface(the_vpc, groups=[rejecting])
    subnet = Subnet("aws_subnet.a", ip_network("10.0.1.0/24"), the_vpc, RouteTable("rt"))
    [path] = only(Network().paths_to(placement(subnet), Service.GLUE)).paths
    assert (path.works, path.problems) == (F, (Problem.INGRESS_BLOCKED,))
    rejecting.ingress = [https(cidr="10.0.1.0/24")]
    assert only(Network().paths_to(placement(subnet), Service.GLUE)).reaches is T
