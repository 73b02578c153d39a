"""Build the Estate from Checkov's resource graph (Terraform HCL, plan JSON and CloudFormation)."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Sequence, Tuple

from spectrum_guard.config import Configuration
from spectrum_guard.estate import cloudformation
from spectrum_guard.estate.audit import build_read_audit
from spectrum_guard.estate.documents import cloudformation_policy, terraform_policy
from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.graph import properties as _properties
from spectrum_guard.estate.model import Estate, Reader, ReaderKind, Role, Workgroup
from spectrum_guard.estate.network import Network
from spectrum_guard.estate.network_builder import build_network
from spectrum_guard.estate.plan import add_plan_links
from spectrum_guard.estate.spectrum import add_spectrum_access
from spectrum_guard.estate.values import as_list, single
from spectrum_guard.estate.vertices import guarded as _guarded
from spectrum_guard.estate.vertices import is_cloudformation as _is_cloudformation
from spectrum_guard.estate.vertices import linked
from spectrum_guard.estate.vertices import resource_ref

logger = logging.getLogger(__name__)

_ROLE_ATTRIBUTES = ("iam_roles", "default_iam_role_arn")
_ROLE_PROPERTIES = ("IamRoles", "DefaultIamRoleArn")
_ROLE_TYPES = ("aws_iam_role", "AWS::IAM::Role")
_CLUSTER_TYPES = ("aws_redshift_cluster", "AWS::Redshift::Cluster")
_NAMESPACE_TYPES = ("aws_redshiftserverless_namespace", "AWS::RedshiftServerless::Namespace")


def build_estate(graph: ResourceGraph, configuration: Configuration = Configuration()) -> Estate:
    _guarded_plan_links(graph)
    roles = _roles(graph)
    roles_by_vertex = {role.resource.vertex_index: role for role in roles}
    roles_by_name = {role.name: role for role in roles if role.name}
    readers = _clusters(graph, roles_by_vertex, roles_by_name) + _namespaces(graph, roles_by_vertex, roles_by_name)
    estate = Estate(roles=roles, readers=readers, network=_guarded_network(graph), configuration=configuration)
    known = add_spectrum_access(graph, estate)
    estate.read_audit = build_read_audit(graph, estate, known)
    return estate


def _guarded_plan_links(graph: ResourceGraph) -> None:
    """Without these links a plan's graph is as Checkov left it, whose gaps the checks report as unknown."""
    try:
        add_plan_links(graph)
    except Exception as error:  # noqa: BLE001
        logger.error("spectrum-guard could not link a plan's modules and for_each instances: %r", error, exc_info=True)


def _guarded_network(graph: ResourceGraph) -> Network:
    """A bug in the network model must not take the other checks down with it."""
    try:
        return build_network(graph)
    except Exception as error:  # noqa: BLE001
        logger.error("spectrum-guard could not build the network model: %r", error, exc_info=True)
        return Network()


def _roles(graph: ResourceGraph) -> List[Role]:
    roles = []
    for vertex in graph.of_type("aws_iam_role"):
        name = single(vertex.attributes.get("name"))
        trust = _guarded(vertex, "trust policy", lambda: terraform_policy(graph, vertex, "assume_role_policy"))
        roles.append(Role(resource_ref(vertex), _literal_name(name), trust))
    for vertex in graph.of_type("AWS::IAM::Role"):
        name = cloudformation.resolve(_properties(vertex).get("RoleName"))
        trust = _guarded(vertex, "trust policy", lambda: cloudformation_policy(vertex, "AssumeRolePolicyDocument"))
        roles.append(Role(resource_ref(vertex), _literal_name(name), trust))
    return roles


def _literal_name(name: Any) -> str | None:
    return name if isinstance(name, str) and name else None


def _attached_roles(
    graph: ResourceGraph,
    vertex: Vertex,
    attributes: Sequence[str],
    roles_by_vertex: Dict[int, Role],
    roles_by_name: Dict[str, Role],
) -> List[Role]:
    """Roles the attributes refer to (through modules too), plus roles named by a literal ARN.

    A reference the scan cannot tell among instances of a module attaches none, and its rendered value, taken
    from one instance, is not read as an ARN: the reader's verdicts are then missing, never wrong.
    """
    attached: Dict[int, Role] = {}
    for attribute in attributes:
        links = linked(graph, vertex, attribute, _ROLE_TYPES)
        if links.ambiguous:
            logger.warning("spectrum-guard cannot tell which roles %s attaches by %s: %s",
                           vertex.address, attribute, "; ".join(links.unfollowed))
            continue
        for role in (roles_by_vertex[target.index] for target in links.targets):
            attached[id(role)] = role
        for arn in _attribute_values(vertex, (attribute,)):
            role = roles_by_name.get(arn.rsplit("/", 1)[-1]) if isinstance(arn, str) and ":role/" in arn else None
            if role:
                attached[id(role)] = role
    return list(attached.values())


def _readers(
    graph: ResourceGraph,
    kind: ReaderKind,
    resource_types: Tuple[str, str],
    roles_by_vertex: Dict[int, Role],
    roles_by_name: Dict[str, Role],
) -> Dict[int, Reader]:
    """Readers of one kind, by vertex, with the roles their Terraform or CloudFormation role attributes attach."""
    terraform_type, cloudformation_type = resource_types
    by_vertex: Dict[int, Reader] = {}
    for vertex in graph.of_type(terraform_type, cloudformation_type):
        attributes = _ROLE_PROPERTIES if _is_cloudformation(vertex) else _ROLE_ATTRIBUTES
        roles = _attached_roles(graph, vertex, attributes, roles_by_vertex, roles_by_name)
        by_vertex[vertex.index] = Reader(resource_ref(vertex), kind, roles)
    return by_vertex


def _clusters(
    graph: ResourceGraph, roles_by_vertex: Dict[int, Role], roles_by_name: Dict[str, Role]
) -> List[Reader]:
    by_vertex = _readers(graph, ReaderKind.PROVISIONED, _CLUSTER_TYPES, roles_by_vertex, roles_by_name)
    for vertex in graph.of_type("aws_redshift_cluster_iam_roles"):
        attributes = ("iam_role_arns", "default_iam_role_arn")
        roles = _attached_roles(graph, vertex, attributes, roles_by_vertex, roles_by_name)
        for cluster in _linked(graph, vertex, "cluster_identifier", by_vertex, _CLUSTER_TYPES):
            cluster.roles.extend(role for role in roles if role not in cluster.roles)
    return list(by_vertex.values())


def _namespaces(
    graph: ResourceGraph, roles_by_vertex: Dict[int, Role], roles_by_name: Dict[str, Role]
) -> List[Reader]:
    by_vertex = _readers(graph, ReaderKind.SERVERLESS, _NAMESPACE_TYPES, roles_by_vertex, roles_by_name)
    for vertex in graph.of_type("aws_redshiftserverless_workgroup", "AWS::RedshiftServerless::Workgroup"):
        property_name = "NamespaceName" if _is_cloudformation(vertex) else "namespace_name"
        for namespace in _linked(graph, vertex, property_name, by_vertex, _NAMESPACE_TYPES):
            namespace.workgroups.append(Workgroup(resource_ref(vertex)))
    return list(by_vertex.values())


def _attribute_values(vertex: Vertex, names: Sequence[str]) -> List[Any]:
    read = _resolved_property if _is_cloudformation(vertex) else lambda vertex, name: vertex.attributes.get(name)
    return [value for name in names for value in as_list(read(vertex, name))]


def _resolved_property(vertex: Vertex, name: str) -> Any:
    return cloudformation.resolve(_properties(vertex).get(name))


def _linked(
    graph: ResourceGraph, vertex: Vertex, attribute: str, candidates: Dict[int, Reader], types: Tuple[str, str]
) -> List[Reader]:
    """Readers `vertex` points at: by reference, or else by the literal identifier both share."""
    links = linked(graph, vertex, attribute, types)
    if links.ambiguous:
        logger.warning("spectrum-guard cannot tell which reader %s belongs to: %s",
                       vertex.address, "; ".join(links.unfollowed))
        return []
    if links.targets:
        return [candidates[target.index] for target in links.targets if target.index in candidates]
    identifier = single(vertex.attributes.get(attribute))
    if not isinstance(identifier, str):
        return []
    return [reader for reader in candidates.values() if _identifier(graph, reader) == identifier]


def _identifier(graph: ResourceGraph, reader: Reader) -> Any:
    attributes = graph.vertex(reader.resource.vertex_index).attributes
    for name in ("cluster_identifier", "namespace_name", "ClusterIdentifier", "NamespaceName"):
        if name in attributes:
            return single(attributes[name])
    return None
