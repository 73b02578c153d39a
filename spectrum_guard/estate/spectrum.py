"""Which buckets Redshift Spectrum reads, why, and with which roles, from where.

A *Spectrum role* is a role attached to a reader (a provisioned cluster, or a Serverless namespace), a role
the configuration declares, or a role a bucket policy grants with Spectrum's user agent. A bucket is a
*Spectrum bucket* when:

- a Spectrum role's identity policies allow s3:GetObject on its objects (naming the bucket, not `*`);
- it holds a Glue table's location or a Glue crawler's S3 target, while a reader is in the scan;
- its bucket policy grants read to a Spectrum role, or names the user agent "AWS Redshift/Spectrum";
- the configuration declares it.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Dict, FrozenSet, List, Optional, Set, Tuple, Union

from spectrum_guard.config import SERVERLESS, Configuration, DeclaredBucket
from spectrum_guard.estate import cloudformation, permissions, storage
from spectrum_guard.estate.graph import ResourceGraph, properties
from spectrum_guard.estate.known_values import KnownValues
from spectrum_guard.estate.model import AttachedPolicy, Estate, Reader, ReaderKind, ResourceRef, Role
from spectrum_guard.estate.plan import is_plan
from spectrum_guard.estate.storage import Bucket, Buckets
from spectrum_guard.estate.values import single
from spectrum_guard.estate.vertices import is_cloudformation
from spectrum_guard.policy import (
    ANONYMOUS,
    PLACEHOLDER_CHARACTERS,
    PolicyDocument,
    Statement,
    Tristate,
    UnknownValue,
    action_matches,
    partly_known,
    placeholder,
    symbolic_text,
    text_matches,
)

USER_AGENT = "AWS Redshift/Spectrum"
READ_ACTION = "s3:GetObject"
# An S3 ARN pattern: a bucket part, then the key part of an object ARN (a bucket ARN has none).
_S3_ARN = re.compile(r"^arn:[^:]*:s3:::(?P<bucket>[^/]*)(?:/(?P<key>.*))?$", re.DOTALL)
_WILDCARD = re.compile(f"[*?]|{PLACEHOLDER_CHARACTERS}")
_ANY_OBJECT_KEY = placeholder("the key of an object")
# How many candidate roles of a bucket only Glue tables link are judged one by one (see _Linker._glue_readers).
_GLUE_READERS_JUDGED_EACH = 4
_NAMED = 3  # roles or readers a message names before it counts the rest


class Origin(Enum):
    """Where Spectrum's S3 requests come from, which decides the network keys S3 sees."""

    AWS_MANAGED = "AWS-managed addresses"  # provisioned clusters; Serverless without enhanced VPC routing
    CUSTOMER_VPC = "its VPC"  # Serverless with enhanced VPC routing
    UNKNOWN = "a network the scan cannot tell"


@dataclass(frozen=True)
class SpectrumRole:
    """A role Spectrum reads S3 with."""

    name: str  # how messages name it
    arn: Union[str, UnknownValue]
    role: Optional[Role]  # None when the scan does not define it
    readers: Tuple[str, ...]
    origins: FrozenSet[Origin]


@dataclass(frozen=True)
class SpectrumRead:
    """A Spectrum role reading a bucket, under these key prefixes ("" for anywhere)."""

    role: SpectrumRole
    prefixes: Tuple[str, ...]


@dataclass(eq=False)
class SpectrumBucket:
    bucket: Bucket
    why: List[str] = field(default_factory=list)
    reads: List[SpectrumRead] = field(default_factory=list)
    # Resources that make it a Spectrum bucket, for reporting when the bucket and its policy are elsewhere.
    linked_by: List[ResourceRef] = field(default_factory=list)

    @property
    def home(self) -> ResourceRef:
        """Where a verdict about the bucket as a whole is reported: its policy, else itself, else what links it."""
        for policy in self.bucket.policies:
            return policy.resource
        return self.bucket.resource or self.linked_by[0]


def add_spectrum_access(graph: ResourceGraph, estate: Estate) -> KnownValues:
    """Fill in the estate's buckets, policies, Glue locations and Spectrum buckets; return what references to
    the scan's buckets and roles stand for."""
    known = KnownValues()
    permissions.name_roles(graph, estate.roles, known)
    permissions.record_caller_identities(graph, known)
    buckets = storage.find_buckets(graph, known)
    known.add_module_outputs(graph)
    permissions.attach_identity_policies(graph, estate.roles, known)
    estate.organization_policies = permissions.organization_policies(graph, known)
    storage.attach_bucket_policies(graph, buckets, known)
    estate.data_locations = storage.data_locations(graph, buckets, known)
    estate.spectrum_buckets = _Linker(graph, estate, buckets).spectrum_buckets()
    estate.buckets = list(buckets)
    return known


class _Linker:
    def __init__(self, graph: ResourceGraph, estate: Estate, buckets: Buckets) -> None:
        self._graph = graph
        self._estate = estate
        self._buckets = buckets
        self._configuration: Configuration = estate.configuration
        self._roles = _spectrum_roles(graph, estate)
        self._by_arn = {symbolic_text(role.arn): role for role in self._roles}
        self._found: Dict[int, SpectrumBucket] = {}
        # Role -> prefixes it may read, per bucket; and roles allowed s3:GetObject on every bucket.
        self._grants: Dict[int, Dict[SpectrumRole, Set[str]]] = {}
        self._broad: List[SpectrumRole] = []
        self._glue_readers_by_plan: Dict[Optional[str], List[SpectrumRole]] = {}

    def spectrum_buckets(self) -> List[SpectrumBucket]:
        for role in self._roles:
            if role.role is not None:
                self._link_identity_grants(role)
        for bucket in list(self._buckets):
            for policy in bucket.policies:
                self._link_bucket_policy_grants(bucket, policy)
        glue_prefixes = self._link_data_locations()
        declared = self._link_declared()
        for key, found in self._found.items():
            found.reads = self._reads(found, glue_prefixes.get(key, set()), declared.get(key))
        return [found for found in self._found.values() if found.reads]

    def _spectrum(self, bucket: Bucket, why: str, resource: Optional[ResourceRef]) -> SpectrumBucket:
        found = self._found.setdefault(id(bucket), SpectrumBucket(bucket))
        if why not in found.why:
            found.why.append(why)
        if resource is not None:
            found.linked_by.append(resource)
        return found

    def _grant(self, bucket: Bucket, role: SpectrumRole, prefix: str) -> None:
        self._grants.setdefault(id(bucket), {}).setdefault(role, set()).add(prefix)

    def _link_identity_grants(self, spectrum_role: SpectrumRole) -> None:
        for policy in spectrum_role.role.identity_policies:
            for statement in _allow_statements(policy):
                for resource in statement.resources or ():
                    text = symbolic_text(resource) or ""
                    match = _S3_ARN.match(text)
                    bucket_part = match.group("bucket") if match else text
                    if bucket_part[:1] in ("", "*", "?", ANONYMOUS):
                        self._broad.append(spectrum_role)  # any bucket: says nothing about which ones it reads
                        continue
                    if match is None or (match.group("key") is None and not bucket_part.endswith("*")):
                        continue  # not an object ARN
                    prefix = _literal_start(match.group("key") or "")
                    for bucket in self._buckets_matching(bucket_part):
                        why = f"{policy.name} ({statement.label}) lets {spectrum_role.name} read its objects"
                        self._spectrum(bucket, why, policy.resource)
                        self._grant(bucket, spectrum_role, prefix)

    def _buckets_matching(self, bucket_part: str) -> List[Bucket]:
        if not re.search(r"[*?]", bucket_part):
            bucket = self._buckets.named(bucket_part)
            return [bucket] if bucket else []
        return [
            bucket
            for bucket in self._buckets
            if text_matches(bucket_part, bucket.name, wildcards=True) is Tristate.TRUE
        ]

    def _link_bucket_policy_grants(self, bucket: Bucket, policy: AttachedPolicy) -> None:
        any_object = bucket.object_arn(_ANY_OBJECT_KEY)
        for statement in _allow_statements(policy):
            covered = (text_matches(pattern, any_object, wildcards=True) for pattern in statement.resources or ())
            if all(outcome is Tristate.FALSE for outcome in covered):
                continue
            principals = [principal.value for principal in statement.principals or () if principal.kind in ("AWS", "*")]
            named = [self._by_arn[symbolic_text(value)] for value in principals if symbolic_text(value) in self._by_arn]
            if _names_spectrum_user_agent(statement):
                why = f"{policy.name} ({statement.label}) grants Redshift Spectrum's user agent"
                readers = named or self._roles_for_user_agent(principals)
            elif named:
                why = f"{policy.name} ({statement.label}) grants {', '.join(role.name for role in named)}"
                readers = named
            else:
                continue
            self._spectrum(bucket, why, policy.resource)
            for role in readers:
                self._grant(bucket, role, "")

    def _roles_for_user_agent(self, principals: List[object]) -> List[SpectrumRole]:
        """The roles a statement admits for Spectrum's user agent, when none of them is a known Spectrum role."""
        roles = [
            SpectrumRole(value, value, None, ("a reader outside the scan",), frozenset({Origin.UNKNOWN}))
            for value in principals
            if isinstance(value, str) and ":role/" in value
        ]
        if roles:
            return roles
        return [role for role in self._roles if role.role is not None] or [_unknown_role(Origin.UNKNOWN)]

    def _link_data_locations(self) -> Dict[int, Set[str]]:
        prefixes: Dict[int, Set[str]] = {}
        if not self._estate.readers:
            return prefixes
        for location in self._estate.data_locations:
            self._spectrum(location.bucket, f"it holds the location of {location.description}", location.resource)
            prefixes.setdefault(id(location.bucket), set()).add(location.prefix)
        return prefixes

    def _glue_readers(self, bucket: Bucket) -> List[SpectrumRole]:
        """A Glue table is read by whichever Spectrum role may read its bucket; failing that, by any of them.
        Which one, the scan cannot tell. Up to _GLUE_READERS_JUDGED_EACH of them, each is judged; beyond, one
        read stands for all, so that the work grows with buckets plus roles, not buckets times roles."""
        plan_file = self._plan_file(bucket)
        readers = self._glue_readers_by_plan.get(plan_file)
        if readers is None:
            broad = list(dict.fromkeys(self._broad))
            candidates = broad or [role for role in self._roles if role.role is not None]
            if plan_file is not None:
                # Two plan files are two configurations: a role planned in one never reads a bucket planned in
                # another.
                candidates = [
                    role for role in candidates if role.role is None or role.role.resource.file_path == plan_file
                ]
            if len(candidates) > _GLUE_READERS_JUDGED_EACH:
                candidates = [_any_of(candidates, "allowed to read every bucket" if broad else "of the scan")]
            readers = self._glue_readers_by_plan[plan_file] = candidates
        return readers

    def _plan_file(self, bucket: Bucket) -> Optional[str]:
        if bucket.resource is None or not is_plan(self._graph.vertex(bucket.resource.vertex_index)):
            return None
        return bucket.resource.file_path

    def _link_declared(self) -> Dict[int, DeclaredBucket]:
        declared: Dict[int, DeclaredBucket] = {}
        for declaration in self._configuration.spectrum_buckets:
            for bucket in self._buckets:
                if isinstance(bucket.name, str) and fnmatch.fnmatchcase(bucket.name, declaration.name):
                    self._spectrum(bucket, f"{self._configuration.source} declares it ({declaration.name})", None)
                    bucket.account = declaration.account
                    declared.setdefault(id(bucket), declaration)
        return declared

    def _reads(
        self, found: SpectrumBucket, glue_prefixes: Set[str], declaration: Optional[DeclaredBucket]
    ) -> List[SpectrumRead]:
        grants = dict(self._grants.get(id(found.bucket), {}))
        if glue_prefixes and not grants:
            grants = {role: set() for role in self._glue_readers(found.bucket)}
        if declaration is not None and not grants:
            # Nothing links it to a role: the declared roles of its kind of reader read it, or an unknown one.
            origin = _declared_origin(declaration.reader)
            declared = [role for role in self._roles if role.role is None and role.origins == {origin}]
            grants = {role: set() for role in declared or [_unknown_role(origin)]}
        return [
            SpectrumRead(role, tuple(sorted(glue_prefixes or prefixes or {""})))
            for role, prefixes in grants.items()
        ]


def _spectrum_roles(graph: ResourceGraph, estate: Estate) -> List[SpectrumRole]:
    """Roles attached to the scan's readers, then the declared roles of readers elsewhere."""
    roles = []
    for role in estate.roles:
        readers = estate.readers_of(role)
        if readers:
            origins = frozenset(origin for reader in readers for origin in _origins(graph, reader))
            descriptions = tuple(f"{reader.kind.value} {reader.resource}" for reader in readers)
            roles.append(SpectrumRole(role.resource.address, role.arn, role, descriptions, origins))
    for declared in estate.configuration.spectrum_roles:
        origins = frozenset({_declared_origin(declared.reader)})
        roles.append(SpectrumRole(declared.arn, declared.arn, None, ("a declared reader",), origins))
    return roles


def _origins(graph: ResourceGraph, reader: Reader) -> Set[Origin]:
    if reader.kind is ReaderKind.PROVISIONED:
        return {Origin.AWS_MANAGED}  # a provisioned cluster's enhanced VPC routing does not cover Spectrum
    if not reader.workgroups:
        return {Origin.UNKNOWN}
    origins = set()
    for workgroup in reader.workgroups:
        vertex = graph.vertex(workgroup.resource.vertex_index)
        if is_cloudformation(vertex):
            routing = cloudformation.resolve(properties(vertex).get("EnhancedVpcRouting"))
        else:
            routing = single(vertex.attributes.get("enhanced_vpc_routing"))
        if isinstance(routing, str):
            routing = {"true": True, "false": False}.get(routing.lower(), routing)
        if routing is True:
            origins.add(Origin.CUSTOMER_VPC)
        elif routing is False or routing is None:  # off by default
            origins.add(Origin.AWS_MANAGED)
        else:
            origins.add(Origin.UNKNOWN)
    return origins


def _declared_origin(reader_kind: str) -> Origin:
    return Origin.CUSTOMER_VPC if reader_kind == SERVERLESS else Origin.AWS_MANAGED


def _any_of(roles: List[SpectrumRole], which: str) -> SpectrumRole:
    """Whichever of many Spectrum roles reads a bucket. Its own policies are not judged (they are taken to allow
    the read), and a policy statement that names particular roles cannot be decided for it."""
    named = ", ".join(role.name for role in roles[:_NAMED])
    readers = list(dict.fromkeys(reader for role in roles for reader in role.readers))
    if len(readers) > _NAMED:
        readers = [*readers[:_NAMED], f"and {len(readers) - _NAMED} more readers"]
    return SpectrumRole(
        f"any of the {len(roles)} Spectrum roles {which} ({named}, ...)",
        partly_known(f"arn:aws:iam::{ANONYMOUS}:role/{ANONYMOUS}", "the ARN of whichever Spectrum role reads it"),
        None,
        tuple(readers),
        frozenset(origin for role in roles for origin in role.origins),
    )


def _unknown_role(origin: Origin) -> SpectrumRole:
    arn = partly_known(f"arn:aws:iam::{ANONYMOUS}:role/{ANONYMOUS}", "the ARN of a Spectrum role outside the scan")
    return SpectrumRole("outside the scan", arn, None, ("a reader outside the scan",), frozenset({origin}))


def _allow_statements(policy: AttachedPolicy) -> List[Statement]:
    if not isinstance(policy.document, PolicyDocument):
        return []
    return [
        statement
        for statement in policy.document.statements
        if statement.effect == "Allow" and statement.actions is not None
        and action_matches(statement.actions, READ_ACTION) is not Tristate.FALSE
    ]


def _names_spectrum_user_agent(statement: Statement) -> bool:
    return any(
        condition.key == "aws:useragent"
        and any(USER_AGENT.lower() in (symbolic_text(value) or "").lower() for value in condition.values)
        for condition in statement.conditions
    )


def _literal_start(text: str) -> str:
    return _WILDCARD.split(text, 1)[0]
