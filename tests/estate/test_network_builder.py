"""The network model built from hand-made graphs shaped like Checkov's (no Checkov run)."""
from __future__ import annotations

from typing import Dict, List, Tuple

import pytest

from spectrum_guard.estate import ResourceGraph, Unresolved
from spectrum_guard.estate.network import Service
from spectrum_guard.estate.network_builder import build_network
from spectrum_guard.estate.references import References
from spectrum_guard.policy import Tristate, UnknownValue


class Graph:
    """Vertices and labelled edges, as the adapter hands them to the estate."""

    def __init__(self) -> None:
        self.vertices: List[Tuple[int, Dict]] = []
        self.edges: List[Tuple[int, int, str]] = []

    def add(
        self, block_type: str, address: str, resource_type: str = "", file: str = "/root/main.tf", **attributes
    ) -> int:
        index = len(self.vertices)
        name = address.split(".")[-1] if block_type in ("variable", "output", "locals", "module") else address
        self.vertices.append(
            (
                index,
                {
                    "block_type_": block_type,
                    "resource_type": resource_type,
                    "__address__": address,
                    "block_name_": name,
                    "file_path_": file,
                    "source_": "Terraform",
                    **attributes,
                },
            )
        )
        return index

    def resource(self, resource_type: str, name: str, **attributes) -> int:
        return self.add("resource", f"{resource_type}.{name}", resource_type, **attributes)

    def link(self, source: int, target: int, label: str) -> None:
        self.edges.append((source, target, label))

    def build(self) -> ResourceGraph:
        return ResourceGraph(self.vertices, self.edges)


def network_of_two_subnets(graph: Graph) -> Tuple[int, List[int]]:
    vpc = graph.resource("aws_vpc", "main", cidr_block="10.0.0.0/16")
    subnets = []
    for index in (0, 1):
        subnet = graph.resource(
            "aws_subnet", f"private[{index}]", vpc_id="aws_vpc.main.id", cidr_block=f"10.0.{index}.0/24"
        )
        graph.link(subnet, vpc, "vpc_id")
        subnets.append(subnet)
    return vpc, subnets


def test_a_splat_means_every_instance_though_checkov_links_only_the_first():
    graph = Graph()
    _, subnets = network_of_two_subnets(graph)
    group = graph.resource("aws_redshift_subnet_group", "g", subnet_ids="aws_subnet.private[*].id")
    graph.link(group, subnets[0], "subnet_ids")
    indexed = graph.resource("aws_redshift_subnet_group", "one", subnet_ids=["aws_subnet.private[1].id"])
    graph.link(indexed, subnets[0], "subnet_ids")
    built = graph.build()
    references = References(built)
    every = references.links(built.vertex(group), "subnet_ids", ("aws_subnet",))
    assert [target.address for target in every.targets] == ["aws_subnet.private[0]", "aws_subnet.private[1]"]
    one = references.links(built.vertex(indexed), "subnet_ids", ("aws_subnet",))
    assert [target.address for target in one.targets] == ["aws_subnet.private[1]"]


def test_references_go_through_module_variables_and_outputs():
    graph = Graph()
    vpc = graph.add(
        "resource", "module.net.aws_vpc.this", "aws_vpc", file="/root/net/main.tf", cidr_block="10.0.0.0/16"
    )
    output = graph.add("output", "vpc_id", file="/root/net/main.tf", value="aws_vpc.this.id")
    graph.link(output, vpc, "value")
    call = graph.add("module", "db", file="/root/main.tf", vpc_id="aws_vpc.this.id")
    graph.link(call, output, "vpc_id")
    variable = graph.add("variable", "module.db.vpc_id", file="/root/db/main.tf")
    graph.link(variable, call, "default")
    subnet = graph.add(
        "resource", "module.db.aws_subnet.a", "aws_subnet", file="/root/db/main.tf", vpc_id="aws_vpc.this.id"
    )
    graph.link(subnet, variable, "vpc_id")
    root_variable = graph.add("variable", "shared_vpc_id")
    elsewhere = graph.resource("aws_subnet", "elsewhere", vpc_id=[])
    graph.link(elsewhere, root_variable, "vpc_id")
    built = graph.build()
    links = References(built).links(built.vertex(subnet), "vpc_id", ("aws_vpc",))
    assert [target.address for target in links.targets] == ["module.net.aws_vpc.this"] and links.unfollowed == []
    outside = References(built).links(built.vertex(elsewhere), "vpc_id", ("aws_vpc",))
    assert outside.targets == [] and outside.unfollowed == ["var.shared_vpc_id"]


def test_a_module_source_used_twice_is_not_trusted():
    graph = Graph()
    for name in ("blue", "green"):
        graph.add(
            "resource",
            f"module.{name}.aws_vpc.this",
            "aws_vpc",
            file="/root/net/main.tf",
            source_module_object_=f"module {name}",
        )
    first_vpc = 0
    output = graph.add("output", "vpc_id", file="/root/net/main.tf", source_module_object_="module blue")
    graph.link(output, first_vpc, "value")
    subnet = graph.resource("aws_subnet", "green", vpc_id="aws_vpc.this.id")
    graph.link(subnet, output, "vpc_id")
    built = graph.build()
    links = References(built).links(built.vertex(subnet), "vpc_id", ("aws_vpc",))
    assert links.targets == [] and "instantiated more than once" in links.unfollowed[0]


def test_resources_with_count_zero_do_not_exist():
    graph = Graph()
    _, subnets = network_of_two_subnets(graph)
    dedicated = graph.resource("aws_route_table", "redshift", count=0)
    private = graph.resource("aws_route_table", "private")
    # terraform-aws-vpc: element(coalescelist(dedicated[*].id, private[*].id), ...); Checkov links the first only.
    association = graph.resource(
        "aws_route_table_association",
        "redshift",
        subnet_id="aws_subnet.private[*].id",
        route_table_id="element(coalescelist(aws_route_table.redshift[*].id,aws_route_table.private[*].id),0)",
    )
    graph.link(association, dedicated, "route_table_id")
    graph.link(association, subnets[0], "subnet_id")
    built = graph.build()
    links = References(built).links(built.vertex(association), "route_table_id", ("aws_route_table",))
    assert [target.index for target in links.targets] == [private] and links.unfollowed == []


def test_literal_ids_and_unlinked_references_are_named():
    graph = Graph()
    network_of_two_subnets(graph)
    literal = graph.resource("aws_redshift_subnet_group", "literal", subnet_ids=["subnet-0123456789abcdef0"])
    # Checkov sometimes drops an edge; the text still names a resource of the same module.
    dropped = graph.resource("aws_redshift_subnet_group", "dropped", subnet_ids="aws_subnet.private[*].id")
    registry = graph.resource("aws_redshift_subnet_group", "registry", subnet_ids="module.network.private_subnet_ids")
    plan = graph.resource(
        "aws_redshift_subnet_group",
        "plan",
        subnet_ids="module.network.private_subnet_ids",
        __change_actions__=["create"],
    )
    built = graph.build()
    references = References(built)
    assert references.links(built.vertex(literal), "subnet_ids", ("aws_subnet",)).unfollowed == [
        "subnet-0123456789abcdef0, which the scan does not define"
    ]
    assert len(references.links(built.vertex(dropped), "subnet_ids", ("aws_subnet",)).targets) == 2
    [unlinked] = references.links(built.vertex(registry), "subnet_ids", ("aws_subnet",)).unfollowed
    assert "module.network.private_subnet_ids" in unlinked and "--download-external-modules" in unlinked
    [unlinked] = references.links(built.vertex(plan), "subnet_ids", ("aws_subnet",)).unfollowed
    assert "module.network.private_subnet_ids" in unlinked and "does not link across modules" in unlinked


def cluster_behind_an_internet_gateway(graph: Graph, **cluster) -> None:
    vpc, subnets = network_of_two_subnets(graph)
    gateway = graph.resource("aws_internet_gateway", "main")
    table = graph.resource("aws_default_route_table", "main", route={"cidr_block": "0.0.0.0/0", "gateway_id": "x"})
    graph.link(table, vpc, "default_route_table_id")
    graph.link(table, gateway, "route.gateway_id")
    group = graph.resource("aws_redshift_subnet_group", "g", subnet_ids="aws_subnet.private[*].id")
    graph.link(group, subnets[0], "subnet_ids")
    vertex = graph.resource(
        "aws_redshift_cluster", "c", enhanced_vpc_routing=True, cluster_subnet_group_name="g", **cluster
    )
    graph.link(vertex, group, "cluster_subnet_group_name")


@pytest.mark.parametrize(
    "constraint, public",
    [
        ("~> 5.40", Tristate.TRUE),
        (">= 5.40, < 6.0", Tristate.TRUE),
        ("5.100.0", Tristate.TRUE),
        ("~> 6.0", Tristate.FALSE),
        (">= 6.2", Tristate.FALSE),
        (">= 5.0", Tristate.FALSE),  # 5.x or 6.x: not known, so taken as not public
        (None, Tristate.FALSE),
    ],
)
def test_an_absent_publicly_accessible_takes_the_providers_default(constraint, public):
    graph = Graph()
    if constraint:
        graph.add("terraform", "", config_={"required_providers": [{"aws": [{"version": constraint}]}]})
    cluster_behind_an_internet_gateway(graph)
    [placement] = build_network(graph.build()).placements
    assert placement.publicly_accessible is public
    answer = build_network(graph.build()).paths_to(placement, Service.GLUE)
    assert not isinstance(answer, Unresolved) and {subnet.reaches for subnet in answer} == {public}


def test_an_explicit_value_or_an_elastic_ip_wins_over_the_default():
    for cluster, public in (
        ({"publicly_accessible": False}, Tristate.FALSE),
        ({"elastic_ip": "203.0.113.1"}, Tristate.TRUE),
    ):
        graph = Graph()
        graph.add("terraform", "", config_={"required_providers": [{"aws": [{"version": "~> 5.0"}]}]})
        cluster_behind_an_internet_gateway(graph, **cluster)
        [placement] = build_network(graph.build()).placements
        assert placement.publicly_accessible is public


def test_a_terraform_group_without_egress_allows_none_and_its_separate_rules_add_up():
    graph = Graph()
    _, subnets = network_of_two_subnets(graph)
    redshift = graph.resource("aws_security_group", "redshift")
    rule = graph.resource(
        "aws_vpc_security_group_egress_rule",
        "https",
        ip_protocol="tcp",
        from_port=443,
        to_port=443,
        cidr_ipv4="0.0.0.0/0",
    )
    graph.link(rule, redshift, "security_group_id")
    bare = graph.resource("aws_security_group", "bare")
    workgroup = graph.resource("aws_redshiftserverless_workgroup", "w", enhanced_vpc_routing=True, subnet_ids=["x"])
    graph.link(workgroup, subnets[0], "subnet_ids")
    graph.link(workgroup, redshift, "security_group_ids")
    graph.link(workgroup, bare, "security_group_ids")
    [placement] = build_network(graph.build()).placements
    egress = {group.name: group.egress for group in placement.security_groups}
    assert egress["aws_security_group.bare"] == []
    assert [(rule.protocol, rule.cidr) for rule in egress["aws_security_group.redshift"]] == [("tcp", "0.0.0.0/0")]


@pytest.mark.parametrize(
    "declaration, enhanced_routing",
    [
        ({"default": [None]}, False),  # `default = null`, left unset by the module call: absent, so off
        ({"type": ["bool"]}, Unresolved),  # required, and not passed: not known
    ],
)
def test_a_module_variable_left_null_means_the_attribute_is_absent(declaration, enhanced_routing):
    graph = Graph()
    variable = graph.add(
        "variable",
        "module.db.enhanced_vpc_routing",
        file="/root/db/variables.tf",
        config_={"enhanced_vpc_routing": declaration},
    )
    cluster = graph.add(
        "resource",
        "module.db.aws_redshift_cluster.this",
        "aws_redshift_cluster",
        file="/root/db/main.tf",
        enhanced_vpc_routing="var.enhanced_vpc_routing",
    )
    graph.link(cluster, variable, "enhanced_vpc_routing")
    [placement] = build_network(graph.build()).placements
    if enhanced_routing is Unresolved:
        assert isinstance(placement.enhanced_vpc_routing, Unresolved)
    else:
        assert placement.enhanced_vpc_routing is enhanced_routing


def test_values_that_are_no_block_make_routes_and_egress_unknown_not_absent():
    graph = Graph()
    vpc, subnets = network_of_two_subnets(graph)
    tables = {
        name: graph.resource("aws_route_table", name, route=route)
        for name, route in (("numbers", [1, 2.5, True]), ("variable", "var.routes"))
    }
    route = graph.resource(
        "aws_route", "booleans", source_="CloudFormation",
        config_={"RouteTableId": {"Ref": "T"}, "DestinationCidrBlock": True, "NatGatewayId": False},
    )
    graph.link(route, tables["numbers"], "RouteTableId")
    groups = {
        "terraform": graph.resource("aws_security_group", "terraform", egress="var.rules"),
        "null": graph.resource(
            "aws_security_group", "null", source_="CloudFormation", config_={"SecurityGroupEgress": None}
        ),
        "absent": graph.resource("aws_security_group", "absent", source_="CloudFormation", config_={}),
        "numbers": graph.resource(
            "aws_security_group", "numbers", source_="CloudFormation", config_={"SecurityGroupEgress": [1, 2]}
        ),
    }
    workgroup = graph.resource("aws_redshiftserverless_workgroup", "w", enhanced_vpc_routing=True, subnet_ids=["x"])
    graph.link(workgroup, subnets[0], "subnet_ids")
    for group in groups.values():
        graph.link(workgroup, group, "security_group_ids")
    mapped = graph.resource("aws_redshiftserverless_workgroup", "m", enhanced_vpc_routing=True,
                            subnet_ids={"a": "aws_subnet.private[0].id"})
    graph.link(mapped, subnets[0], "subnet_ids.a")
    network = build_network(graph.build())
    placement, map_placement = network.placements
    egress = {group.name.split(".")[-1]: group.egress for group in placement.security_groups}
    assert egress["terraform"] is None and egress["null"] is None and egress["numbers"] is None
    assert [rule.protocol for rule in egress["absent"]] == ["-1"]
    assert isinstance(map_placement.subnets, Unresolved) and map_placement.subnets.malformed
    assert "subnet_ids is {'a': 'aws_subnet.private[0].id'}, not a list of subnets" in map_placement.subnets.reason
    builder_tables = _route_tables_of(graph)
    for name in ("numbers", "variable"):
        assert builder_tables[f"aws_route_table.{name}"], name
        for route in builder_tables[f"aws_route_table.{name}"]:
            assert isinstance(route.destination, UnknownValue) and isinstance(route.target, UnknownValue)
    assert len(builder_tables["aws_route_table.numbers"]) == 4  # three unreadable items, one CloudFormation route


def _route_tables_of(graph: Graph) -> Dict[str, list]:
    from spectrum_guard.estate.network_builder import _Builder

    builder = _Builder(graph.build())
    builder.build()
    return {table.name: table.routes for table in builder.tables.values()}


def test_an_association_whose_subnet_cannot_be_followed_may_be_any_unassociated_subnets():
    # The main route table routes to the internet; a private table, associated with private[0] and with
    # a subnet the scan cannot tell, does not. private[1] may be that subnet: its route table is not known.
    graph = Graph()
    graph.add("terraform", "", config_={"required_providers": [{"aws": [{"version": "~> 6.0"}]}]})
    cluster_behind_an_internet_gateway(graph)
    subnets = [index for index, attributes in graph.vertices if attributes["resource_type"] == "aws_subnet"]
    private = graph.resource("aws_route_table", "private")
    known = graph.resource("aws_route_table_association", "known", subnet_id="aws_subnet.private[0].id")
    graph.link(known, subnets[0], "subnet_id")
    graph.link(known, private, "route_table_id")
    unfollowed = graph.resource("aws_route_table_association", "unfollowed", subnet_id="var.subnet_id")
    graph.link(unfollowed, graph.add("variable", "var.subnet_id"), "subnet_id")
    graph.link(unfollowed, private, "route_table_id")
    elsewhere = graph.resource("aws_route_table_association", "elsewhere", subnet_id="subnet-0123456789abcdef0")
    graph.link(elsewhere, private, "route_table_id")
    network = build_network(graph.build())
    [placement] = network.placements
    answer = network.paths_to(placement, Service.GLUE)
    assert isinstance(answer, Unresolved)
    assert answer.reason == (
        "the route table of subnet aws_subnet.private[1] cannot be followed: it may be associated by "
        "aws_route_table_association.unfollowed, whose subnet_id is var.subnet_id"
    )
