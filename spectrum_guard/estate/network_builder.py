"""The Network, built from Checkov's graph of Terraform (HCL and plan) and CloudFormation.

Defaults differ by tool, and the scan has only what it defines:
- The Terraform AWS provider removes AWS's allow-all egress rule from every security group it creates
  (and from the default group it adopts with aws_default_security_group): no egress rule means none.
- A CloudFormation AWS::EC2::SecurityGroup without SecurityGroupEgress keeps the allow-all rule, and
  separate AWS::EC2::SecurityGroupEgress resources only add to it.
- A security group created by either tool admits no ingress but what its rules add.
- A VPC's default security group allows all egress, and ingress from its own members, unless the scan
  redefines it.
- A security group the scan does not define has unknown rules.
"""
from __future__ import annotations

import os
import re
from ipaddress import IPv4Network
from typing import Any, Dict, List, Optional, Sequence, Tuple, TypeVar, Union

from spectrum_guard.estate import cloudformation
from spectrum_guard.estate.graph import ResourceGraph, Vertex, properties
from spectrum_guard.estate.model import ResourceRef, Unresolved
from spectrum_guard.estate.network import (
    ALLOW_ALL_EGRESS,
    GroupRule,
    NatGateway,
    Network,
    Placement,
    Route,
    RouteTable,
    SecurityGroup,
    Service,
    Subnet,
    Target,
    Vpc,
    VpcEndpoint,
    names_service,
    parsed_network,
)
from spectrum_guard.estate.references import Links, references_of
from spectrum_guard.estate.values import as_blocks, as_list, resolve_terraform, single
from spectrum_guard.policy import Tristate, UnknownValue

T = TypeVar("T")

VPCS = ("aws_vpc", "AWS::EC2::VPC")
# terraform-aws-vpc names its VPC through a secondary CIDR association whenever it has one.
VPC_ALIASES = ("aws_vpc_ipv4_cidr_block_association",)
VPC_LINKS = VPCS + VPC_ALIASES
SUBNETS = ("aws_subnet", "AWS::EC2::Subnet")
# A reference to a VPC where a route table or security group is expected means its default one.
ROUTE_TABLES = ("aws_route_table", "aws_default_route_table", "AWS::EC2::RouteTable") + VPCS
SECURITY_GROUPS = ("aws_security_group", "aws_default_security_group", "AWS::EC2::SecurityGroup") + VPCS
ENDPOINTS = ("aws_vpc_endpoint", "AWS::EC2::VPCEndpoint")
SUBNET_GROUPS = ("aws_redshift_subnet_group", "AWS::Redshift::ClusterSubnetGroup")
S3_PREFIX_LISTS = ("data.aws_prefix_list", "data.aws_ec2_managed_prefix_list") + ENDPOINTS

# Route targets, in the order AWS lets one route name one of them.
_ROUTE_TARGETS = (
    ("nat_gateway_id", "NatGatewayId"),
    ("gateway_id", "GatewayId"),
    ("transit_gateway_id", "TransitGatewayId"),
    ("network_interface_id", "NetworkInterfaceId"),
    ("instance_id", "InstanceId"),
    ("vpc_peering_connection_id", "VpcPeeringConnectionId"),
    ("vpc_endpoint_id", "VpcEndpointId"),
    ("carrier_gateway_id", "CarrierGatewayId"),
    ("local_gateway_id", "LocalGatewayId"),
    ("core_network_arn", "CoreNetworkArn"),
    ("egress_only_gateway_id", "EgressOnlyInternetGatewayId"),
)
_GATEWAYS = ("aws_nat_gateway", "AWS::EC2::NatGateway", "aws_internet_gateway", "AWS::EC2::InternetGateway")

# The AWS provider's default for an absent aws_redshift_cluster.publicly_accessible changed in 6.0.
_PUBLIC_BY_DEFAULT_BEFORE = (6, 0, 0)
_CONSTRAINT = re.compile(r"^\s*(?P<operator>~>|>=|<=|!=|=|>|<)?\s*v?(?P<version>\d+(?:\.\d+)*)\s*$")


def build_network(graph: ResourceGraph) -> Network:
    return _Builder(graph).build()


class _Builder:
    def __init__(self, graph: ResourceGraph) -> None:
        self.graph = graph
        self.references = references_of(graph)
        self.vpcs: Dict[int, Vpc] = {}
        self.tables: Dict[int, RouteTable] = {}
        self.groups: Dict[int, SecurityGroup] = {}
        self.subnets: Dict[int, Subnet] = {}
        self.endpoints: Dict[int, VpcEndpoint] = {}
        self.nat_gateways: Dict[int, NatGateway] = {}
        self.stray_endpoints: List[VpcEndpoint] = []
        self.aws_provider_constraints: Dict[str, List[str]] = {}
        for block in graph.vertices():
            if block.attributes.get("block_type_") == "terraform":
                version = _aws_provider_version(block)
                if isinstance(version, str):
                    self.aws_provider_constraints.setdefault(os.path.dirname(block.file_path), []).append(version)

    def build(self) -> Network:
        self._vpcs()
        self._route_tables()
        self._main_route_tables()
        self._subnets()
        self._nat_gateways()
        self._routes()
        self._security_groups()
        self._endpoints()
        placements = self._clusters() + self._workgroups()
        return Network(placements, self.stray_endpoints)

    # Links ---------------------------------------------------------------------------------------

    def _links(self, vertex: Vertex, terraform: str, cfn: str, types: Sequence[str]) -> Links:
        return self.references.links(vertex, cfn if _is_cloudformation(vertex) else terraform, types)

    def _linked(self, index: Dict[int, T], links: Links) -> List[T]:
        return [index[target.index] for target in links.targets if target.index in index]

    def _one(
        self, index: Dict[int, T], vertex: Vertex, terraform: str, cfn: str, types: Sequence[str]
    ) -> Union[T, Unresolved]:
        links = self._links(vertex, terraform, cfn, types)
        linked = _unique(self._linked(index, links))
        attribute = cfn if _is_cloudformation(vertex) else terraform
        if links.unfollowed:
            return Unresolved(f"{vertex.address}'s {attribute} refers to {', '.join(links.unfollowed)}")
        if len(linked) != 1:
            found = "nothing in the scan" if not linked else "several: " + ", ".join(_names(linked))
            return Unresolved(f"{vertex.address}'s {attribute} refers to {found}")
        return linked[0]

    # VPCs, route tables and routes ---------------------------------------------------------------

    def _vpcs(self) -> None:
        for vertex in self.graph.of_type(*VPCS):
            default_group = SecurityGroup(f"the default security group of {vertex.address}", list(ALLOW_ALL_EGRESS))
            default_group.ingress = [GroupRule("-1", security_group=default_group)]
            vpc = Vpc(
                vertex.address,
                _ipv4(_value(vertex, "cidr_block", "CidrBlock")),
                RouteTable(f"the main route table of {vertex.address}", default_of=vertex.address),
                default_group,
            )
            self.vpcs[vertex.index] = vpc
            self.tables[vertex.index] = vpc.main_route_table
            self.groups[vertex.index] = vpc.default_security_group
        for vertex in self.graph.of_type(*VPC_ALIASES):
            vpc = self._one(self.vpcs, vertex, "vpc_id", "", VPCS)
            if isinstance(vpc, Vpc):
                self.vpcs[vertex.index] = vpc
        for vertex in self.graph.of_type("aws_default_route_table"):
            vpc = self._one(self.vpcs, vertex, "default_route_table_id", "", VPC_LINKS)
            if isinstance(vpc, Vpc):
                self.tables[vertex.index] = vpc.main_route_table

    def _route_tables(self) -> None:
        for vertex in self.graph.of_type("aws_route_table", "AWS::EC2::RouteTable"):
            self.tables[vertex.index] = RouteTable(vertex.address)

    def _main_route_tables(self) -> None:
        """The VPC's default route table stays what references to it mean; the main one may be another."""
        for vertex in self.graph.of_type("aws_main_route_table_association"):
            vpc = self._one(self.vpcs, vertex, "vpc_id", "", VPC_LINKS)
            if isinstance(vpc, Vpc):
                vpc.main_route_table = self._one(self.tables, vertex, "route_table_id", "", ROUTE_TABLES)

    def _nat_gateways(self) -> None:
        for vertex in self.graph.of_type("aws_nat_gateway", "AWS::EC2::NatGateway"):
            name = "ConnectivityType" if _is_cloudformation(vertex) else "connectivity_type"
            connectivity = _value(vertex, "connectivity_type", "ConnectivityType")
            if connectivity is None:
                public, because = Tristate.TRUE, f"{name} is absent and defaults to public"
            else:
                known = connectivity in ("public", "private")
                public = Tristate.of(connectivity == "public") if known else Tristate.UNKNOWN
                because = f"{name} = {_shown(connectivity)}"
            subnet = self._one(self.subnets, vertex, "subnet_id", "SubnetId", SUBNETS)
            self.nat_gateways[vertex.index] = NatGateway(vertex.address, public, because, subnet)

    def _routes(self) -> None:
        for vertex in self.graph.of_type("aws_route_table", "aws_default_route_table"):
            table = self.tables.get(vertex.index)
            if table is None:
                continue
            blocks = as_list(vertex.attributes.get("route"))
            for position, block in enumerate(blocks):
                label = "route" if len(blocks) == 1 else f"route.{position}"
                if isinstance(block, dict):
                    table.routes.append(self._route(vertex, block, label, "cidr_block"))
                else:
                    # `route = var.routes`, or a value that is no block: a route the scan cannot read.
                    unreadable = UnknownValue(f"{vertex.address}'s {label} is {_shown(block)}, not a route block")
                    table.routes.append(Route(unreadable, unreadable, label))

        for vertex in self.graph.of_type("aws_route", "AWS::EC2::Route"):
            table = self._one(self.tables, vertex, "route_table_id", "RouteTableId", ROUTE_TABLES)
            if isinstance(table, RouteTable):
                block = _properties(vertex) if _is_cloudformation(vertex) else vertex.attributes
                table.routes.append(self._route(vertex, block, "", "destination_cidr_block"))

    def _route(self, vertex: Vertex, block: Dict[str, Any], label: str, destination_attribute: str) -> Route:
        cfn = _is_cloudformation(vertex)
        destination_name = "DestinationCidrBlock" if cfn else destination_attribute
        destination = _plain(vertex, block.get(destination_name))
        if destination in (None, ""):
            # A plan leaves out of a block what is computed at apply time; IPv6 and prefix-list routes have none.
            computed = label and _is_plan(vertex) and destination_name not in block
            destination = UnknownValue("a destination computed at apply time") if computed else None
        elif not isinstance(destination, (str, UnknownValue)):
            destination = UnknownValue(f"{vertex.address}'s {destination_name} is {_shown(destination)}, not a CIDR")
        for terraform, cloudformation_name in _ROUTE_TARGETS:
            name = cloudformation_name if cfn else terraform
            value = _plain(vertex, block.get(name))
            if value in (None, "", "local"):
                continue
            attribute = ".".join(part for part in (label, name) if part)
            return self._route_target(vertex, attribute, terraform, value, destination)
        return Route(destination, UnknownValue("a target computed at apply time"), "a target computed at apply time")

    def _route_target(self, vertex: Vertex, attribute: str, kind: str, value: Any, destination: Any) -> Route:
        links = self.references.links(vertex, attribute, _GATEWAYS)
        if links.targets:
            gateway = links.targets[0]
            if gateway.index in self.nat_gateways:
                return Route(destination, self.nat_gateways[gateway.index], gateway.address)
            return Route(destination, Target.INTERNET_GATEWAY, gateway.address)
        shown = value if isinstance(value, str) else _shown(value)
        if not isinstance(value, (str, UnknownValue)):
            return Route(destination, UnknownValue(f"{attribute} is {shown}, not an ID"), f"{attribute} {shown}")
        if isinstance(value, str) and value.startswith("igw-"):
            return Route(destination, Target.INTERNET_GATEWAY, value)
        if kind == "nat_gateway_id" and isinstance(value, str) and value.startswith("nat-"):
            undefined = Unresolved(f"{value} is not defined in the scan")
            return Route(destination, NatGateway(value, Tristate.UNKNOWN, undefined.reason, undefined), value)
        if kind in ("nat_gateway_id", "gateway_id") and (links.unfollowed or isinstance(value, UnknownValue)):
            reason = ", ".join(links.unfollowed) or _shown(value)
            return Route(destination, UnknownValue(reason), f"{attribute} {shown}")
        return Route(destination, Target.ELSEWHERE, f"{kind.replace('_id', '').replace('_', ' ')} {shown}")

    # Subnets -------------------------------------------------------------------------------------

    def _subnets(self) -> None:
        unlinked: List[Tuple[str, str, List[str]]] = []  # associations: (directory, address, what is unfollowed)
        for vertex in self.graph.of_type(*SUBNETS):
            vpc = self._one(self.vpcs, vertex, "vpc_id", "VpcId", VPC_LINKS)
            self.subnets[vertex.index] = Subnet(vertex.address, _ipv4(_value(vertex, "cidr_block", "CidrBlock")), vpc)
        for vertex in self.graph.of_type("aws_route_table_association", "AWS::EC2::SubnetRouteTableAssociation"):
            if single(vertex.attributes.get("gateway_id")):
                continue  # an edge association, for traffic coming in through a gateway
            table = self._one(self.tables, vertex, "route_table_id", "RouteTableId", ROUTE_TABLES)
            links = self._links(vertex, "subnet_id", "SubnetId", SUBNETS)
            # A literal ID names a subnet outside the scan; anything else unfollowed may be one of the scan's.
            if links.unfollowed and not isinstance(_value(vertex, "subnet_id", "SubnetId"), str):
                unlinked.append((os.path.dirname(vertex.file_path), vertex.address, links.unfollowed))
            for subnet in self._linked(self.subnets, links):
                if subnet.route_table is None or subnet.route_table is table:
                    subnet.route_table = table
                else:
                    subnet.route_table = Unresolved(f"{subnet.name} is associated with more than one route table")
        # An association whose subnet the scan cannot follow may be that of any subnet of its directory
        # that has none: then the main route table may not be the subnet's.
        for index, subnet in self.subnets.items():
            directory = os.path.dirname(self.graph.vertex(index).file_path)
            maybe = [
                f"{address}, whose subnet_id is {', '.join(reasons)}"
                for where, address, reasons in unlinked
                if where == directory
            ]
            if subnet.route_table is None and maybe:
                subnet.route_table = Unresolved(f"it may be associated by {'; '.join(maybe)}")

    # Security groups -----------------------------------------------------------------------------

    def _security_groups(self) -> None:
        rule_sources: List[Tuple[Vertex, SecurityGroup, List[Dict[str, Any]], str, bool]] = []
        for vertex in self.graph.of_type("aws_security_group", "AWS::EC2::SecurityGroup"):
            group = SecurityGroup(vertex.address)
            self.groups[vertex.index] = group
            for ingress in (False, True):
                if _is_cloudformation(vertex):
                    attribute = "SecurityGroupIngress" if ingress else "SecurityGroupEgress"
                    properties = _properties(vertex)
                    inline = properties.get(attribute)
                    if attribute not in properties:
                        _set_rules(group, ingress, [] if ingress else list(ALLOW_ALL_EGRESS))
                    elif inline is None or not _all_blocks(cloudformation.resolve(inline)):
                        # Fn::If and the like depend on the deployment; null, or a rule that is no mapping, is broken.
                        _set_rules(group, ingress, None)
                else:
                    attribute = "ingress" if ingress else "egress"
                    inline = vertex.attributes.get(attribute)
                    if not _all_blocks(inline):
                        _set_rules(group, ingress, None)  # `egress = var.rules`, or a value that is no block
                rule_sources.append((vertex, group, as_blocks(inline), attribute, ingress))
        for vertex in self.graph.of_type("aws_default_security_group"):
            vpc = self._one(self.vpcs, vertex, "vpc_id", "", VPC_LINKS)
            if isinstance(vpc, Vpc):
                # Terraform removes every rule of the default group it adopts.
                group = vpc.default_security_group
                group.egress, group.ingress = [], []
                self.groups[vertex.index] = group
                for ingress, attribute in ((False, "egress"), (True, "ingress")):
                    blocks = as_blocks(vertex.attributes.get(attribute))
                    rule_sources.append((vertex, group, blocks, attribute, ingress))
        for vertex, group, blocks, attribute, ingress in rule_sources:
            for position, block in enumerate(blocks):
                label = attribute if len(blocks) == 1 and not _is_cloudformation(vertex) else f"{attribute}.{position}"
                self._add_rules(group, ingress, self._rules(vertex, block, label, group, inline=True, ingress=ingress))
        for vertex in self.graph.of_type("aws_security_group_rule"):
            kind = single(vertex.attributes.get("type"))
            if kind in ("egress", "ingress"):
                self._add_separate_rules(vertex, "security_group_id", vertex.attributes, kind == "ingress")
        for resource_type, ingress in (
            ("aws_vpc_security_group_egress_rule", False),
            ("aws_vpc_security_group_ingress_rule", True),
        ):
            for vertex in self.graph.of_type(resource_type):
                self._add_separate_rules(vertex, "security_group_id", vertex.attributes, ingress)
        for resource_type, ingress in (
            ("AWS::EC2::SecurityGroupEgress", False),
            ("AWS::EC2::SecurityGroupIngress", True),
        ):
            for vertex in self.graph.of_type(resource_type):
                self._add_separate_rules(vertex, "GroupId", _properties(vertex), ingress)

    def _add_separate_rules(self, vertex: Vertex, attribute: str, block: Dict[str, Any], ingress: bool) -> None:
        group = self._one(self.groups, vertex, attribute, attribute, SECURITY_GROUPS)
        if isinstance(group, SecurityGroup):
            self._add_rules(group, ingress, self._rules(vertex, block, "", group, inline=False, ingress=ingress))

    @staticmethod
    def _add_rules(group: SecurityGroup, ingress: bool, rules: List[GroupRule]) -> None:
        existing = group.ingress if ingress else group.egress
        if existing is not None:
            existing.extend(rules)

    def _rules(
        self, vertex: Vertex, block: Dict[str, Any], label: str, group: SecurityGroup, inline: bool, ingress: bool
    ) -> List[GroupRule]:
        """One GroupRule per peer. A plan leaves out of a block the lists computed at apply time."""
        cfn = _is_cloudformation(vertex)
        computed = inline and _is_plan(vertex)
        protocol = _plain(vertex, _first(block, ("IpProtocol", "protocol", "ip_protocol")))
        ports = dict(
            protocol=UnknownValue("no protocol") if protocol is None else protocol,
            from_port=_plain(vertex, block.get("FromPort" if cfn else "from_port")),
            to_port=_plain(vertex, block.get("ToPort" if cfn else "to_port")),
        )
        peer = "Source" if ingress else "Destination"

        def path(name: str) -> str:
            return ".".join(part for part in (label, name) if part)

        rules: List[GroupRule] = []
        cidr_names = ("CidrIp",) if cfn else ("cidr_blocks", "cidr_ipv4")
        for name in cidr_names:
            values = as_list(block.get(name))
            rules += [GroupRule(**ports, cidr=_plain(vertex, value)) for value in values if value not in (None, "")]
            if computed and name == "cidr_blocks" and name not in block:
                rules.append(GroupRule(**ports, cidr=UnknownValue("CIDR blocks computed at apply time")))
        for name in (f"{peer}PrefixListId",) if cfn else ("prefix_list_ids", "prefix_list_id"):
            if block.get(name) not in (None, "", []):
                rules += [GroupRule(**ports, prefix_list=service) for service in self._prefix_lists(vertex, path(name))]
            elif computed and name == "prefix_list_ids" and name not in block:
                rules.append(GroupRule(**ports, prefix_list=UnknownValue("prefix lists computed at apply time")))
        names = (
            (f"{peer}SecurityGroupId",)
            if cfn
            else ("security_groups", "source_security_group_id", "referenced_security_group_id")
        )
        for name in names:
            if block.get(name) not in (None, "", []):
                rules += [
                    GroupRule(**ports, security_group=target) for target in self._group_references(vertex, path(name))
                ]
            elif computed and name == "security_groups" and name not in block:
                rules.append(GroupRule(**ports, security_group=UnknownValue("security groups computed at apply time")))
        if single(block.get("self")) is True:
            rules.append(GroupRule(**ports, security_group=group))
        return rules

    def _prefix_lists(self, vertex: Vertex, attribute: str) -> List[Any]:
        links = self.references.links(vertex, attribute, S3_PREFIX_LISTS)
        lists: List[Any] = [UnknownValue(f"prefix list {reason}") for reason in links.unfollowed]
        for target in links.targets:
            # An S3 gateway endpoint's prefix_list_id, or a data source looking the list up by name.
            name = self._service_name(target) if target.resource_type in ENDPOINTS else _value(target, "name", "")
            s3 = names_service(name, Service.S3) is Tristate.TRUE
            lists.append(Service.S3 if s3 else UnknownValue(f"prefix list {target.address}"))
        return lists

    def _group_references(self, vertex: Vertex, attribute: str) -> List[Any]:
        links = self.references.links(vertex, attribute, SECURITY_GROUPS)
        return self._linked(self.groups, links) + [UnknownValue(reason) for reason in links.unfollowed]

    def _groups_listed(self, vertex: Vertex, terraform: str, cfn: str) -> List[SecurityGroup]:
        links = self._links(vertex, terraform, cfn, SECURITY_GROUPS)
        unknown = [SecurityGroup(reason, egress=None, ingress=None, in_scan=False) for reason in links.unfollowed]
        return _unique(self._linked(self.groups, links)) + unknown

    # Endpoints -----------------------------------------------------------------------------------

    def _endpoints(self) -> None:
        for vertex in self.graph.of_type(*ENDPOINTS):
            self._endpoint(vertex)
        for vertex in self.graph.of_type("aws_vpc_endpoint_route_table_association"):
            endpoint = self._one(self.endpoints, vertex, "vpc_endpoint_id", "", ENDPOINTS)
            if isinstance(endpoint, VpcEndpoint):
                table = self._one(self.tables, vertex, "route_table_id", "", ROUTE_TABLES)
                if isinstance(table, RouteTable):
                    endpoint.route_tables.append(table)
                else:
                    endpoint.route_tables_unfollowed.append(table.reason)
        for vertex in self.graph.of_type("aws_vpc_endpoint_security_group_association"):
            endpoint = self._one(self.endpoints, vertex, "vpc_endpoint_id", "", ENDPOINTS)
            if isinstance(endpoint, VpcEndpoint):
                if single(vertex.attributes.get("replace_default_association")) is True and endpoint.vpc:
                    default = endpoint.vpc.default_security_group
                    endpoint.security_groups = [group for group in endpoint.security_groups if group is not default]
                endpoint.security_groups += self._groups_listed(vertex, "security_group_id", "")

    def _endpoint(self, vertex: Vertex) -> None:
        vpc = self._one(self.vpcs, vertex, "vpc_id", "VpcId", VPC_LINKS)
        kind = _value(vertex, "vpc_endpoint_type", "VpcEndpointType")
        private_dns = _boolean(_value(vertex, "private_dns_enabled", "PrivateDnsEnabled"))
        tables = self._links(vertex, "route_table_ids", "RouteTableIds", ROUTE_TABLES)
        groups = self._groups_listed(vertex, "security_group_ids", "SecurityGroupIds")
        if not groups and isinstance(vpc, Vpc):
            groups = [vpc.default_security_group]
        endpoint = VpcEndpoint(
            name=vertex.address,
            service_name=self._service_name(vertex),
            kind=_endpoint_kind(kind),
            private_dns=Tristate.FALSE if private_dns is None else _tristate(private_dns),
            security_groups=groups,
            subnets=self._linked(self.subnets, self._links(vertex, "subnet_ids", "SubnetIds", SUBNETS)),
            route_tables=self._linked(self.tables, tables),
            route_tables_unfollowed=tables.unfollowed,
            vpc=vpc if isinstance(vpc, Vpc) else None,
        )
        self.endpoints[vertex.index] = endpoint
        if isinstance(vpc, Vpc):
            vpc.endpoints.append(endpoint)
        else:
            self.stray_endpoints.append(endpoint)

    def _service_name(self, vertex: Vertex) -> Any:
        for data in self._links(vertex, "service_name", "ServiceName", ("data.aws_vpc_endpoint_service",)).targets:
            service = _value(data, "service", "")
            if isinstance(service, str):
                return UnknownValue(data.address, pattern=f"com.amazonaws.*.{service}")
            return _value(data, "service_name", "")
        return _value(vertex, "service_name", "ServiceName")

    # Clusters and workgroups ---------------------------------------------------------------------

    def _clusters(self) -> List[Placement]:
        groups_by_name = {}
        for vertex in self.graph.of_type("aws_redshift_subnet_group"):
            name = _value(vertex, "name", "")
            if isinstance(name, str):
                groups_by_name[name] = vertex
        placements = []
        for vertex in self.graph.of_type("aws_redshift_cluster", "AWS::Redshift::Cluster"):
            subnet_group = self._subnet_group(vertex, groups_by_name)
            subnets = (
                subnet_group
                if isinstance(subnet_group, Unresolved)
                else self._subnet_list(subnet_group, "subnet_ids", "SubnetIds")
            )
            groups = self._groups_listed(vertex, "vpc_security_group_ids", "VpcSecurityGroupIds")
            placements.append(
                self._placement(vertex, "provisioned cluster", subnets, groups, self._cluster_public(vertex))
            )
        return placements

    def _placement(
        self, vertex: Vertex, kind: str, subnets: Any, groups: List[SecurityGroup], public: Tuple[Tristate, str]
    ) -> Placement:
        return Placement(
            resource=_ref(vertex),
            kind=kind,
            cloudformation=_is_cloudformation(vertex),
            enhanced_vpc_routing=self._enhanced_routing(vertex),
            subnets=subnets,
            security_groups=groups or None,
            publicly_accessible=public[0],
            public_because=public[1],
        )

    def _subnet_group(self, cluster: Vertex, groups_by_name: Dict[str, Vertex]) -> Union[Vertex, Unresolved]:
        attribute = "ClusterSubnetGroupName" if _is_cloudformation(cluster) else "cluster_subnet_group_name"
        name = _value(cluster, "cluster_subnet_group_name", "ClusterSubnetGroupName")
        if name is None:
            return _in_default_vpc(cluster, attribute)
        links = self.references.links(cluster, attribute, SUBNET_GROUPS)
        if links.unfollowed:
            return Unresolved(f"{cluster.address}'s {attribute} refers to {', '.join(links.unfollowed)}")
        if links.targets:
            return links.targets[0]
        if isinstance(name, str) and name in groups_by_name:
            return groups_by_name[name]
        return Unresolved(f"{cluster.address}'s {attribute} {_shown(name)} is not defined in the scan")

    def _subnet_list(self, vertex: Vertex, terraform: str, cfn: str) -> Union[List[Subnet], Unresolved]:
        links = self._links(vertex, terraform, cfn, SUBNETS)
        attribute = cfn if _is_cloudformation(vertex) else terraform
        raw = None if _is_cloudformation(vertex) else vertex.attributes.get(terraform)
        if any(isinstance(item, dict) for item in as_list(raw)):
            # Terraform takes a list of IDs only; the references inside a map would still link the subnets.
            return Unresolved(f"{vertex.address}'s {attribute} is {_shown(raw)}, not a list of subnets", malformed=True)
        if links.unfollowed:
            return Unresolved(f"{vertex.address}'s {attribute} refers to {', '.join(links.unfollowed)}")
        subnets = _unique(self._linked(self.subnets, links))
        if not subnets:
            return Unresolved(f"{vertex.address}'s {attribute} names no subnet of the scan")
        return subnets

    def _workgroups(self) -> List[Placement]:
        placements = []
        for vertex in self.graph.of_type("aws_redshiftserverless_workgroup", "AWS::RedshiftServerless::Workgroup"):
            attribute = "SubnetIds" if _is_cloudformation(vertex) else "subnet_ids"
            subnets = (
                self._subnet_list(vertex, "subnet_ids", "SubnetIds")
                if _value(vertex, "subnet_ids", "SubnetIds") is not None
                else _in_default_vpc(vertex, attribute)
            )
            groups = self._groups_listed(vertex, "security_group_ids", "SecurityGroupIds")
            placements.append(
                self._placement(vertex, "Serverless workgroup", subnets, groups, self._workgroup_public(vertex))
            )
        return placements

    def _setting(self, vertex: Vertex, terraform: str, cfn: str) -> Any:
        """A cluster or workgroup setting; None when absent, or null through a module variable left unset."""
        if not _is_cloudformation(vertex) and self.references.is_null(vertex, terraform):
            return None
        return _value(vertex, terraform, cfn)

    def _enhanced_routing(self, vertex: Vertex) -> Union[bool, Unresolved]:
        value = _boolean(self._setting(vertex, "enhanced_vpc_routing", "EnhancedVpcRouting"))
        if isinstance(value, UnknownValue):
            name = "EnhancedVpcRouting" if _is_cloudformation(vertex) else "enhanced_vpc_routing"
            return Unresolved(f"{name}: {value.reason}")
        return bool(value)

    def _workgroup_public(self, vertex: Vertex) -> Tuple[Tristate, str]:
        name = "PubliclyAccessible" if _is_cloudformation(vertex) else "publicly_accessible"
        public = _boolean(self._setting(vertex, "publicly_accessible", "PubliclyAccessible"))
        if public is None:
            return Tristate.FALSE, f"{name} is absent and defaults to false"
        return _tristate(public), f"{name} = {_shown(public)}"

    def _cluster_public(self, vertex: Vertex) -> Tuple[Tristate, str]:
        """publicly_accessible, or an Elastic IP; an absent value takes the tool's default."""
        cfn = _is_cloudformation(vertex)
        name = "PubliclyAccessible" if cfn else "publicly_accessible"
        elastic_ip = self._setting(vertex, "elastic_ip", "ElasticIp")
        if elastic_ip not in (None, ""):
            return Tristate.TRUE, f"{'ElasticIp' if cfn else 'elastic_ip'} is set"
        public = _boolean(self._setting(vertex, "publicly_accessible", "PubliclyAccessible"))
        if public is not None:
            return _tristate(public), f"{name} = {_shown(public)}"
        if cfn:
            return Tristate.FALSE, f"{name} is absent and defaults to false"
        constraints = self._aws_provider_constraints(vertex)
        default = _public_by_default(constraints)
        shown = f"AWS provider {' and '.join(constraints)}" if constraints else "no AWS provider version in the scan"
        if default is Tristate.TRUE:
            return Tristate.TRUE, f"{name} is absent, and with {shown} it defaults to true"
        if default is Tristate.FALSE:
            return Tristate.FALSE, f"{name} is absent, and with {shown} it defaults to false"
        return Tristate.FALSE, f"{name} is absent, and with {shown} its default is not known, so it is taken as false"

    def _aws_provider_constraints(self, vertex: Vertex) -> List[str]:
        """The AWS provider version constraints of the module that holds `vertex` and of its callers."""
        breadcrumbs = vertex.attributes.get("rendering_breadcrumbs_")
        callers = breadcrumbs.get("source_module_", []) if isinstance(breadcrumbs, dict) else []
        directories = {os.path.dirname(vertex.file_path)} | {
            os.path.dirname(str(caller.get("path", ""))) for caller in callers if isinstance(caller, dict)
        }
        return [
            constraint
            for directory in sorted(directories)
            for constraint in self.aws_provider_constraints.get(directory, [])
        ]


def _aws_provider_version(terraform_block: Vertex) -> Any:
    """From the block as written: Checkov renders a constraint with a comma as None."""
    config = terraform_block.attributes.get("config_")
    providers = single(config.get("required_providers")) if isinstance(config, dict) else None
    aws = single(providers.get("aws")) if isinstance(providers, dict) else None
    return single(aws.get("version")) if isinstance(aws, dict) else aws


def _public_by_default(constraints: List[str]) -> Tristate:
    """TRUE when every allowed AWS provider version is before 6.0, FALSE when every one is 6.0 or later."""
    lowest: Tuple[int, ...] = (0, 0, 0)
    highest: Optional[Tuple[Tuple[int, ...], bool]] = None  # (version, inclusive)
    for part in (part for constraint in constraints for part in constraint.split(",")):
        match = _CONSTRAINT.match(part)
        if not match:
            return Tristate.UNKNOWN
        operator = match.group("operator") or "="
        numbers = [int(number) for number in match.group("version").split(".")]
        version = tuple((numbers + [0, 0, 0])[:3])
        upper: Optional[Tuple[Tuple[int, ...], bool]] = None
        if operator in ("=", ">=", ">", "~>"):
            lowest = max(lowest, version)
        if operator == "=":
            upper = (version, True)
        elif operator in ("<", "<="):
            upper = (version, operator == "<=")
        elif operator == "~>" and len(numbers) > 1:
            bumped = numbers[:-2] + [numbers[-2] + 1]
            upper = (tuple((bumped + [0, 0, 0])[:3]), False)
        if upper and (highest is None or upper[0] < highest[0]):
            highest = upper
    if highest and (
        highest[0] < _PUBLIC_BY_DEFAULT_BEFORE or (highest[0] == _PUBLIC_BY_DEFAULT_BEFORE and not highest[1])
    ):
        return Tristate.TRUE
    if lowest >= _PUBLIC_BY_DEFAULT_BEFORE:
        return Tristate.FALSE
    return Tristate.UNKNOWN


def _in_default_vpc(vertex: Vertex, attribute: str) -> Unresolved:
    return Unresolved(
        f"{vertex.address} names no {attribute}, so it runs in the default VPC, which the scan does not define"
    )


def _value(vertex: Vertex, terraform: str, cfn: str) -> Any:
    """A scalar attribute, with unresolved references and intrinsics as UnknownValue; None when absent."""
    if _is_cloudformation(vertex):
        return cloudformation.resolve(_properties(vertex).get(cfn))
    return _plain(vertex, vertex.attributes.get(terraform))


def _plain(vertex: Vertex, value: Any) -> Any:
    value = single(value)
    if _is_cloudformation(vertex):
        return cloudformation.resolve(value)
    return resolve_terraform(value) if isinstance(value, str) else value


def _boolean(value: Any) -> Any:
    """True, False, None when absent, or UnknownValue."""
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value is None or isinstance(value, (bool, UnknownValue)):
        return value
    return UnknownValue(f"{value!r}, not a boolean")


def _set_rules(group: SecurityGroup, ingress: bool, rules: Optional[List[GroupRule]]) -> None:
    if ingress:
        group.ingress = rules
    else:
        group.egress = rules


def _all_blocks(value: Any) -> bool:
    return all(isinstance(item, dict) for item in as_list(value))


def _tristate(value: Any) -> Tristate:
    return Tristate.UNKNOWN if isinstance(value, UnknownValue) else Tristate.of(bool(value))


def _endpoint_kind(value: Any) -> Any:
    if value in (None, ""):
        return "Gateway"
    if isinstance(value, str):
        return {"interface": "Interface", "gateway": "Gateway"}.get(value.lower(), value)
    return value


def _ipv4(value: Any) -> Optional[IPv4Network]:
    network = parsed_network(str(value))
    return network if isinstance(network, IPv4Network) else None


def _first(block: Dict[str, Any], names: Tuple[str, ...]) -> Any:
    for name in names:
        if block.get(name) is not None:
            return block[name]
    return None


def _unique(items: List[T]) -> List[T]:
    seen: Dict[int, T] = {}
    for item in items:
        seen.setdefault(id(item), item)
    return list(seen.values())


def _names(items: List[Any]) -> List[str]:
    return [str(getattr(item, "name", item)) for item in items]


def _shown(value: Any) -> str:
    if isinstance(value, UnknownValue):
        return value.reason
    return str(value).lower() if isinstance(value, bool) else str(value)


def _ref(vertex: Vertex) -> ResourceRef:
    return ResourceRef(vertex_index=vertex.index, address=vertex.address, file_path=vertex.file_path)


def _is_cloudformation(vertex: Vertex) -> bool:
    return vertex.source == "CloudFormation"


def _is_plan(vertex: Vertex) -> bool:
    return "__change_actions__" in vertex.attributes


def _properties(vertex: Vertex) -> Dict[str, Any]:
    return properties(vertex)
