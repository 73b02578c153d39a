"""The network model and its one question, paths_to, on hand-built VPCs (no Checkov)."""
from __future__ import annotations

from ipaddress import ip_network

import pytest

from spectrum_guard.estate import ResourceRef, Unresolved
from spectrum_guard.estate.network import (
    ALLOW_ALL_EGRESS,
    Destination,
    EgressRule,
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
    names_service,
)
from spectrum_guard.policy import Tristate, UnknownValue

T, F, U = Tristate.TRUE, Tristate.FALSE, Tristate.UNKNOWN
INTERNET = Destination("the internet", (ip_network("0.0.0.0/0"),))
S3_PUBLIC = Destination("S3", (ip_network("0.0.0.0/0"),), s3_prefix_list=True)


def https(**destination) -> EgressRule:
    return EgressRule("tcp", 443, 443, **destination)


def group(*rules: EgressRule) -> SecurityGroup:
    return SecurityGroup("sg", list(rules))


@pytest.mark.parametrize(
    "rule, expected",
    [
        (EgressRule("-1", cidr="0.0.0.0/0"), T),
        (EgressRule("all", cidr="0.0.0.0/0"), T),
        (EgressRule("tcp", 0, 65535, cidr="0.0.0.0/0"), T),
        (EgressRule("6", "443", "443", cidr="0.0.0.0/0"), T),
        (EgressRule("tcp", 80, 442, cidr="0.0.0.0/0"), F),
        (EgressRule("udp", 443, 443, cidr="0.0.0.0/0"), F),
        (EgressRule("tcp", "egress.value.from", 443, cidr="0.0.0.0/0"), U),
        (EgressRule(UnknownValue("var.protocol"), cidr="0.0.0.0/0"), U),
        (EgressRule("tcp", True, True, cidr="0.0.0.0/0"), U),  # true is no port, though int(True) is 1
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
    return Vpc("aws_vpc.main", ip_network("10.0.0.0/16"), main, SecurityGroup("default", list(ALLOW_ALL_EGRESS)))


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


def nat(destination="0.0.0.0/0") -> Route:
    return Route(destination, Target.NAT_GATEWAY, "aws_nat_gateway.n")


def igw() -> Route:
    return Route("0.0.0.0/0", Target.INTERNET_GATEWAY, "aws_internet_gateway.i")


def interface(the_vpc, service="glue", private_dns=T, groups=()) -> VpcEndpoint:
    name = f"com.amazonaws.eu-west-1.{service}"
    endpoint = VpcEndpoint(f"aws_vpc_endpoint.{service}", name, "Interface", private_dns, list(groups), vpc=the_vpc)
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
