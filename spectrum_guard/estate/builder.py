"""Build the Estate from Checkov's resource graph (Terraform HCL, plan JSON and CloudFormation)."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Iterable, List, Sequence, Tuple

from spectrum_guard.estate import cloudformation
from spectrum_guard.estate.documents import cloudformation_policy, terraform_policy
from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.model import (
    Estate,
    PolicyOrUnresolved,
    Reader,
    ReaderKind,
    ResourceRef,
    Role,
    Unresolved,
    Workgroup,
)
from spectrum_guard.estate.network import Network
from spectrum_guard.estate.network_builder import build_network
from spectrum_guard.estate.values import as_list, single

logger = logging.getLogger(__name__)

# Plan graphs link resources only through this attribute, whatever attribute held the reference.
_PLAN_REFERENCES = "references_"


def build_estate(graph: ResourceGraph) -> Estate:
    roles = _roles(graph)
    roles_by_vertex = {role.resource.vertex_index: role for role in roles}
    roles_by_name = {role.name: role for role in roles if role.name}
    readers = _clusters(graph, roles_by_vertex, roles_by_name) + _namespaces(graph, roles_by_vertex, roles_by_name)
    return Estate(roles=roles, readers=readers, network=_guarded_network(graph))


def resource_ref(vertex: Vertex) -> ResourceRef:
    return ResourceRef(vertex_index=vertex.index, address=vertex.address, file_path=vertex.file_path)


def _is_cloudformation(vertex: Vertex) -> bool:
    return vertex.source == "CloudFormation"


def _properties(vertex: Vertex) -> Dict[str, Any]:
    """CloudFormation properties as written (Checkov's rendered attributes guess Fn::If and parameters)."""
    properties = vertex.attributes.get("config_")
    return properties if isinstance(properties, dict) else {}


def _guarded(vertex: Vertex, what: str, build: Callable[[], PolicyOrUnresolved]) -> PolicyOrUnresolved:
    """One broken resource must not stop the estate: it becomes Unresolved, and the error is logged."""
    try:
        return build()
    except Exception as error:  # noqa: BLE001 - any bug here must degrade to UNKNOWN for this resource only
        logger.error("spectrum-guard could not read the %s of %s: %r", what, vertex.address, error, exc_info=True)
        return Unresolved(f"internal error while reading the {what}: {error!r}", malformed=True)


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
    literal_arns: Iterable[Any],
    roles_by_vertex: Dict[int, Role],
    roles_by_name: Dict[str, Role],
) -> List[Role]:
    """Roles linked through the graph's edges, plus roles named by a literal ARN."""
    attached: Dict[int, Role] = {}
    for target in graph.referenced_by(vertex, tuple(attributes) + (_PLAN_REFERENCES,)):
        role = roles_by_vertex.get(target.index)
        if role:
            attached[id(role)] = role
    for arn in literal_arns:
        role = roles_by_name.get(arn.rsplit("/", 1)[-1]) if isinstance(arn, str) and ":role/" in arn else None
        if role:
            attached[id(role)] = role
    return list(attached.values())


def _clusters(
    graph: ResourceGraph, roles_by_vertex: Dict[int, Role], roles_by_name: Dict[str, Role]
) -> List[Reader]:
    readers: List[Reader] = []
    by_vertex: Dict[int, Reader] = {}
    for vertex in graph.of_type("aws_redshift_cluster"):
        attributes = ("iam_roles", "default_iam_role_arn")
        arns = [value for name in attributes for value in as_list(vertex.attributes.get(name))]
        roles = _attached_roles(graph, vertex, attributes, arns, roles_by_vertex, roles_by_name)
        by_vertex[vertex.index] = Reader(resource_ref(vertex), ReaderKind.PROVISIONED, roles)
    for vertex in graph.of_type("AWS::Redshift::Cluster"):
        attributes = ("IamRoles", "DefaultIamRoleArn")
        arns = [value for name in attributes for value in as_list(_resolved_property(vertex, name))]
        roles = _attached_roles(graph, vertex, attributes, arns, roles_by_vertex, roles_by_name)
        by_vertex[vertex.index] = Reader(resource_ref(vertex), ReaderKind.PROVISIONED, roles)
    readers.extend(by_vertex.values())
    for vertex in graph.of_type("aws_redshift_cluster_iam_roles"):
        attributes = ("iam_role_arns", "default_iam_role_arn")
        arns = [value for name in attributes for value in as_list(vertex.attributes.get(name))]
        roles = _attached_roles(graph, vertex, attributes, arns, roles_by_vertex, roles_by_name)
        for cluster in _linked(graph, vertex, ("cluster_identifier",), by_vertex, "cluster_identifier"):
            cluster.roles.extend(role for role in roles if role not in cluster.roles)
    return readers


def _namespaces(
    graph: ResourceGraph, roles_by_vertex: Dict[int, Role], roles_by_name: Dict[str, Role]
) -> List[Reader]:
    by_vertex: Dict[int, Reader] = {}
    for vertex in graph.of_type("aws_redshiftserverless_namespace"):
        attributes = ("iam_roles", "default_iam_role_arn")
        arns = [value for name in attributes for value in as_list(vertex.attributes.get(name))]
        roles = _attached_roles(graph, vertex, attributes, arns, roles_by_vertex, roles_by_name)
        by_vertex[vertex.index] = Reader(resource_ref(vertex), ReaderKind.SERVERLESS, roles)
    for vertex in graph.of_type("AWS::RedshiftServerless::Namespace"):
        attributes = ("IamRoles", "DefaultIamRoleArn")
        arns = [value for name in attributes for value in as_list(_resolved_property(vertex, name))]
        roles = _attached_roles(graph, vertex, attributes, arns, roles_by_vertex, roles_by_name)
        by_vertex[vertex.index] = Reader(resource_ref(vertex), ReaderKind.SERVERLESS, roles)
    for vertex in graph.of_type("aws_redshiftserverless_workgroup", "AWS::RedshiftServerless::Workgroup"):
        property_name = "NamespaceName" if _is_cloudformation(vertex) else "namespace_name"
        for namespace in _linked(graph, vertex, (property_name,), by_vertex, property_name):
            namespace.workgroups.append(Workgroup(resource_ref(vertex)))
    return list(by_vertex.values())


def _resolved_property(vertex: Vertex, name: str) -> Any:
    return cloudformation.resolve(_properties(vertex).get(name))


def _linked(
    graph: ResourceGraph,
    vertex: Vertex,
    attributes: Tuple[str, ...],
    candidates: Dict[int, Reader],
    name_attribute: str,
) -> List[Reader]:
    """Readers `vertex` points at: by edge, or else by the literal identifier both share."""
    linked = [
        candidates[target.index]
        for target in graph.referenced_by(vertex, attributes + (_PLAN_REFERENCES,))
        if target.index in candidates
    ]
    if linked:
        return linked
    identifier = single(vertex.attributes.get(name_attribute))
    if not isinstance(identifier, str):
        return []
    return [reader for reader in candidates.values() if _identifier(graph, reader) == identifier]


def _identifier(graph: ResourceGraph, reader: Reader) -> Any:
    attributes = graph.vertex(reader.resource.vertex_index).attributes
    for name in ("cluster_identifier", "namespace_name", "ClusterIdentifier", "NamespaceName"):
        if name in attributes:
            return single(attributes[name])
    return None
