"""What the scan's roles may do: their ARNs, identity policies and permissions boundaries, and the
organisation's service and resource control policies.

Identity policies come in every form Terraform and CloudFormation offer: inline (`inline_policy`, `Policies`),
`aws_iam_role_policy` and `AWS::IAM::RolePolicy`, customer-managed policies attached by `managed_policy_arns`,
`aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`, `ManagedPolicyArns` or a policy's `Roles`.
A policy attached by an ARN the scan does not define (AWS-managed, or another repository's) is recorded as
held elsewhere: it may grant access, but its statements cannot be judged.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from spectrum_guard.estate import cloudformation
from spectrum_guard.estate.documents import cloudformation_policy, terraform_policy
from spectrum_guard.estate.graph import ResourceGraph, Vertex, properties
from spectrum_guard.estate.known_values import KnownValues, account_of, scope_of
from spectrum_guard.estate.model import AttachedPolicy, PolicyOrUnresolved, Role, Unresolved
from spectrum_guard.estate.values import as_blocks, as_list, resolve_terraform, single
from spectrum_guard.estate.vertices import guarded, is_cloudformation, linked, resource_ref
from spectrum_guard.policy import placeholder, partly_known, symbolic_text

logger = logging.getLogger(__name__)

_MANAGED_POLICY_TYPES = ("aws_iam_policy", "AWS::IAM::ManagedPolicy")
_ROLE_TYPES = ("aws_iam_role", "AWS::IAM::Role")
# A customer-managed policy's ARN; AWS-managed ones have the account "aws".
_POLICY_ARN_NAME = re.compile(r"^arn:[^:]+:iam::(?!aws:)[^:]*:policy/(?:.*/)?(?P<name>[^/]+)$")
_SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
_ORGANIZATION_POLICY_KINDS = {_SERVICE_CONTROL_POLICY: "SCP", "RESOURCE_CONTROL_POLICY": "RCP"}


def name_roles(graph: ResourceGraph, roles: Iterable[Role], known: KnownValues) -> None:
    """Give each role its ARN, and record what references to the role stand for."""
    for role in roles:
        vertex = graph.vertex(role.resource.vertex_index)
        name, path = _role_name_and_path(vertex)
        role.arn = partly_known(
            f"arn:aws:iam::{account_of(vertex)}:role{symbolic_text(path) or '/'}{symbolic_text(name)}",
            f"the ARN of {vertex.address}, whose account the scan does not tell",
        )
        if is_cloudformation(vertex):
            known.add(vertex, {"": name, ".Arn": role.arn})
        else:
            known.add(vertex, {".arn": role.arn, ".name": name, ".id": name})


def record_caller_identities(graph: ResourceGraph, known: KnownValues) -> None:
    """`data.aws_caller_identity` gives the account of its provider, the same one its roles live in."""
    for vertex in graph.of_type("data.aws_caller_identity"):
        known.add(vertex, {".account_id": account_of(vertex)})
    for vertex in graph.of_type("data.aws_partition"):
        known.add(vertex, {".partition": "aws"})


def attach_identity_policies(graph: ResourceGraph, roles: Sequence[Role], known: KnownValues) -> None:
    roles_by_vertex = {role.resource.vertex_index: role for role in roles}
    roles_by_name = {role.name: role for role in roles if role.name}
    managed = _ManagedPolicies(graph, known)

    def roles_of(vertex: Vertex, attribute: str) -> List[Role]:
        """The roles the attribute names. One it cannot tell among instances of a module gets none: each
        candidate gets an unreadable policy instead, and its name, rendered from one instance, is not trusted."""
        links = linked(graph, vertex, attribute, _ROLE_TYPES)
        if links.ambiguous:
            candidates = [roles_by_vertex[target.index] for target in links.candidates]
            where = ", ".join(str(role.resource) for role in candidates) or "a role"
            reason = (f"{vertex.address} may be attached to {where}, and the scan cannot tell which: "
                      f"its {attribute} is {'; '.join(links.unfollowed)}")
            logger.warning("spectrum-guard: %s", reason)
            for role in candidates:
                _attach(role, [AttachedPolicy(vertex.address, resource_ref(vertex), Unresolved(reason))])
            return []
        if links.targets:
            return [roles_by_vertex[target.index] for target in links.targets]
        names = as_list(cloudformation.resolve(properties(vertex).get(attribute)) if is_cloudformation(vertex)
                        else vertex.attributes.get(attribute))
        return [roles_by_name[name] for name in names if isinstance(name, str) and name in roles_by_name]

    for role in roles:
        vertex = graph.vertex(role.resource.vertex_index)
        _attach(role, _inline_policies(graph, vertex, role, known))
        attribute = "ManagedPolicyArns" if is_cloudformation(vertex) else "managed_policy_arns"
        _attach(role, managed.attached(vertex, attribute, role))
        attribute = "PermissionsBoundary" if is_cloudformation(vertex) else "permissions_boundary"
        boundary = managed.attached(vertex, attribute, role)
        role.permissions_boundary = boundary[0] if boundary else None

    for vertex in graph.of_type("aws_iam_role_policy", "AWS::IAM::RolePolicy"):
        attribute = "RoleName" if is_cloudformation(vertex) else "role"
        policy = AttachedPolicy(vertex.address, resource_ref(vertex), _document(graph, vertex, known))
        for role in roles_of(vertex, attribute):
            _attach(role, [policy])
    for vertex in graph.of_type("aws_iam_role_policy_attachment", "aws_iam_policy_attachment"):
        attribute = "roles" if vertex.resource_type == "aws_iam_policy_attachment" else "role"
        for role in roles_of(vertex, attribute):
            _attach(role, managed.attached(vertex, "policy_arn", role))
    for vertex in graph.of_type("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for role in roles_of(vertex, "Roles"):
            _attach(role, [managed.of_vertex(vertex)])


def _attach(role: Role, policies: Iterable[AttachedPolicy]) -> None:
    """A policy attached twice (by two attachments, or also by managed_policy_arns) still applies once."""
    role.identity_policies.extend(policy for policy in policies if policy not in role.identity_policies)


def organization_policies(graph: ResourceGraph, known: KnownValues) -> List[AttachedPolicy]:
    """Service and resource control policies; other organisation policy types hold no IAM statements."""
    found = []
    for vertex in graph.of_type("aws_organizations_policy", "AWS::Organizations::Policy"):
        raw_kind = _attribute(vertex, "Type", "type")
        kind = raw_kind if isinstance(raw_kind, str) else _SERVICE_CONTROL_POLICY  # Terraform's default
        if kind not in _ORGANIZATION_POLICY_KINDS:
            continue
        attribute = "Content" if is_cloudformation(vertex) else "content"
        document = guarded(vertex, "policy", lambda: _policy(graph, vertex, attribute, known))
        name = f"{_ORGANIZATION_POLICY_KINDS[kind]} {vertex.address}"
        found.append(AttachedPolicy(name, resource_ref(vertex), document))
    return found


def _role_name_and_path(vertex: Vertex) -> Tuple[Any, Any]:
    """The role's name and path as written; a generated name is a placeholder of its own."""
    if is_cloudformation(vertex):
        raw_name, raw_path = properties(vertex).get("RoleName"), properties(vertex).get("Path")
        name, path = (cloudformation.resolve(value, scope=scope_of(vertex)) for value in (raw_name, raw_path))
    else:
        raw_name, raw_path = single(vertex.attributes.get("name")), single(vertex.attributes.get("path"))
        name, path = (resolve_terraform(value, scope=scope_of(vertex)) for value in (raw_name, raw_path))
        prefix = resolve_terraform(single(vertex.attributes.get("name_prefix")), scope=scope_of(vertex))
        if raw_name is None and symbolic_text(prefix) is not None:
            generated = placeholder(f"the generated name of {vertex.address}", segment=True)
            name = partly_known(symbolic_text(prefix) + generated, f"generated from the prefix {prefix}")
    if symbolic_text(name) is None:
        name = partly_known(placeholder(f"the generated name of {vertex.address}", segment=True), "generated")
    return name, path


def _inline_policies(graph: ResourceGraph, vertex: Vertex, role: Role, known: KnownValues) -> List[AttachedPolicy]:
    if is_cloudformation(vertex):
        seen_from = known.seen_from(vertex)
        items = [item for item in as_list(properties(vertex).get("Policies")) if isinstance(item, dict)]
        return [
            AttachedPolicy(
                f"inline policy {_text(item.get('PolicyName'))} of {vertex.address}",
                role.resource,
                guarded(vertex, "inline policy", lambda: cloudformation_policy(
                    vertex, "Policies", seen_from, item.get("PolicyDocument"))),
            )
            for item in items
        ]
    return [
        AttachedPolicy(
            f"inline policy {_text(single(block.get('name')))} of {vertex.address}",
            role.resource,
            guarded(vertex, "inline policy", lambda: terraform_policy(
                graph, vertex, "inline_policy", known.seen_by(graph, vertex), block.get("policy"))),
        )
        for block in as_blocks(vertex.attributes.get("inline_policy"))
        if block.get("policy") is not None
    ]


class _ManagedPolicies:
    """Customer-managed policies of the scan, each parsed once, found by reference or by literal ARN."""

    def __init__(self, graph: ResourceGraph, known: KnownValues) -> None:
        self._graph = graph
        self._known = known
        self._parsed: Dict[int, AttachedPolicy] = {}
        self._by_name = {
            name: vertex
            for vertex in graph.of_type(*_MANAGED_POLICY_TYPES)
            for name in [_managed_policy_name(vertex)]
            if name
        }

    def of_vertex(self, vertex: Vertex) -> AttachedPolicy:
        if vertex.index not in self._parsed:
            document = _document(self._graph, vertex, self._known)
            self._parsed[vertex.index] = AttachedPolicy(vertex.address, resource_ref(vertex), document)
        return self._parsed[vertex.index]

    def attached(self, vertex: Vertex, attribute: str, role: Role) -> List[AttachedPolicy]:
        """The policies `attribute` attaches: the scan's when it can tell, else held elsewhere."""
        links = linked(self._graph, vertex, attribute, _MANAGED_POLICY_TYPES)
        if links.ambiguous:
            # Its rendered ARN came from one instance of the module, whichever it meant.
            reason = f"the policy {vertex.address} attaches by {attribute} is {'; '.join(links.unfollowed)}"
            return [AttachedPolicy(f"{attribute} of {vertex.address}", role.resource, Unresolved(reason))]
        targets = links.targets
        attached = {target.index: self.of_vertex(target) for target in targets}
        if is_cloudformation(vertex):
            values = cloudformation.resolve(properties(vertex).get(attribute))
        else:
            values = resolve_terraform(vertex.attributes.get(attribute))
        for value in as_list(values):
            if not isinstance(value, str) and targets:
                continue  # a reference, which the graph linked
            name = _POLICY_ARN_NAME.match(value) if isinstance(value, str) else None
            if name and name.group("name") in self._by_name:
                target = self._by_name[name.group("name")]
                attached[target.index] = self.of_vertex(target)
            else:
                where = value if isinstance(value, str) else f"a policy ({symbolic_text(value) or 'unresolved'})"
                reason = f"{where}, attached to {role.resource}, is not in the scan"
                attached[id(value)] = AttachedPolicy(str(where), role.resource, Unresolved(reason), elsewhere=True)
        return list(attached.values())


def _managed_policy_name(vertex: Vertex) -> Optional[str]:
    name = _attribute(vertex, "ManagedPolicyName", "name")
    return name if isinstance(name, str) else None


def _attribute(vertex: Vertex, cloudformation_property: str, terraform_attribute: str) -> Any:
    """A property as written (CloudFormation) or an attribute's value (Terraform)."""
    if is_cloudformation(vertex):
        return properties(vertex).get(cloudformation_property)
    return single(vertex.attributes.get(terraform_attribute))


def _document(graph: ResourceGraph, vertex: Vertex, known: KnownValues) -> PolicyOrUnresolved:
    attribute = "PolicyDocument" if is_cloudformation(vertex) else "policy"
    return guarded(vertex, "policy", lambda: _policy(graph, vertex, attribute, known))


def _policy(graph: ResourceGraph, vertex: Vertex, attribute: str, known: KnownValues) -> PolicyOrUnresolved:
    if is_cloudformation(vertex):
        return cloudformation_policy(vertex, attribute, known.seen_from(vertex))
    return terraform_policy(graph, vertex, attribute, known.seen_by(graph, vertex))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "(unnamed)"

