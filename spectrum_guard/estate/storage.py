"""S3 buckets with their bucket policies, and the Glue catalog's S3 locations.

A bucket the scan refers to by name without defining it (a bucket policy for a bucket of another stack, a
role policy or a Glue table naming it) is recorded too, with no resource: what its own policy says is unknown.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Union

from spectrum_guard.estate import cloudformation
from spectrum_guard.estate.documents import cloudformation_policy, terraform_policy
from spectrum_guard.estate.graph import ResourceGraph, Vertex, properties
from spectrum_guard.estate.known_values import KnownValues, scope_of
from spectrum_guard.estate.model import AttachedPolicy, ResourceRef, Unresolved
from spectrum_guard.estate.references import Links
from spectrum_guard.estate.values import as_blocks, as_list, resolve_terraform, single
from spectrum_guard.estate.vertices import guarded, is_cloudformation, linked, resource_ref
from spectrum_guard.policy import (
    ANONYMOUS,
    PLACEHOLDER_CHARACTERS,
    UnknownValue,
    partly_known,
    placeholder,
    symbolic_text,
)

logger = logging.getLogger(__name__)

_BUCKET_TYPES = ("aws_s3_bucket", "AWS::S3::Bucket")
_S3_LOCATION = re.compile(r"^s3a?://(?P<bucket>[^/]+)(?:/(?P<key>.*))?$", re.DOTALL)
# A wildcard or a placeholder: where the literal part of a name or key ends.
_UNKNOWN_PART = re.compile(f"[*?]|{PLACEHOLDER_CHARACTERS}")


@dataclass(eq=False)
class Bucket:
    name: Union[str, UnknownValue]
    # None when the scan refers to the bucket without defining it.
    resource: Optional[ResourceRef] = None
    policies: List[AttachedPolicy] = field(default_factory=list)
    # Known only when the configuration declares it.
    account: Optional[str] = None

    @property
    def name_text(self) -> str:
        """The name with a placeholder for each unknown part: equal texts name the same bucket."""
        return symbolic_text(self.name) or ANONYMOUS

    def object_arn(self, key_text: str) -> Union[str, UnknownValue]:
        return partly_known(f"arn:aws:s3:::{self.name_text}/{key_text}", f"an object of {self}")

    def __str__(self) -> str:
        if isinstance(self.name, str):
            return self.name
        shown = f"{self.resource}" if self.resource else "a bucket"
        return f"{shown} (named {self.name.pattern})" if self.name.pattern not in (None, "*") else shown


@dataclass(frozen=True)
class DataLocation:
    """Where a Glue table keeps its data, or what a Glue crawler crawls."""

    description: str
    resource: ResourceRef
    bucket: Bucket
    prefix: str


class Buckets:
    """The scan's buckets by name, plus those it only names."""

    def __init__(self) -> None:
        # Every bucket, even one whose literal name another already has (copies of a stack, say): each is judged.
        self._all: List[Bucket] = []
        self._by_name: Dict[str, Bucket] = {}
        self._by_vertex: Dict[int, Bucket] = {}

    def __iter__(self) -> Iterable[Bucket]:
        return iter(list(self._all))

    def add(self, bucket: Bucket) -> None:
        self._all.append(bucket)
        self._by_name.setdefault(bucket.name_text, bucket)
        if bucket.resource is not None:
            self._by_vertex[bucket.resource.vertex_index] = bucket

    def of_vertex(self, vertex: Vertex) -> Optional[Bucket]:
        return self._by_vertex.get(vertex.index)

    def named(self, name_text: str) -> Optional[Bucket]:
        """The bucket with this name; for a literal name not in the scan, a new bucket known only by name."""
        bucket = self._by_name.get(name_text)
        if bucket is None and name_text and not _UNKNOWN_PART.search(name_text):
            bucket = Bucket(name_text)
            self.add(bucket)
        return bucket


def find_buckets(graph: ResourceGraph, known: KnownValues) -> Buckets:
    """The scan's buckets, with what references to them stand for."""
    buckets = Buckets()
    for vertex in graph.of_type(*_BUCKET_TYPES):
        name = guarded(vertex, "bucket name", lambda: _bucket_name(vertex))
        if isinstance(name, Unresolved):
            name = partly_known(placeholder(f"the unreadable name of {vertex.address}", segment=True), name.reason)
        bucket = Bucket(name, resource_ref(vertex))
        arn = partly_known(f"arn:aws:s3:::{bucket.name_text}", f"the ARN of {bucket}")
        if is_cloudformation(vertex):
            known.add(vertex, {"": bucket.name, ".Arn": arn})
        else:
            known.add(vertex, {".arn": arn, ".id": bucket.name, ".bucket": bucket.name})
        buckets.add(bucket)
    return buckets


def attach_bucket_policies(graph: ResourceGraph, buckets: Buckets, known: KnownValues) -> None:
    """Bucket policies, linked to their bucket by reference, else by the bucket name they give."""
    for vertex in graph.of_type("aws_s3_bucket"):
        if single(vertex.attributes.get("policy")) is not None:  # the legacy inline attribute
            bucket = buckets.of_vertex(vertex)
            if bucket is not None:
                bucket.policies.append(_bucket_policy(graph, vertex, "policy", known))
    for vertex in graph.of_type("aws_s3_bucket_policy", "AWS::S3::BucketPolicy"):
        attribute = "Bucket" if is_cloudformation(vertex) else "bucket"
        links = linked(graph, vertex, attribute, _BUCKET_TYPES)
        if links.ambiguous:
            _attach_ambiguous_policy(vertex, [buckets.of_vertex(target) for target in links.candidates], links)
            continue
        targets = [buckets.of_vertex(target) for target in links.targets]
        if not any(targets):
            named = guarded(vertex, "bucket", lambda: _resolved(vertex, attribute, known))
            targets = [buckets.named(symbolic_text(named) or "")]
        attribute = "PolicyDocument" if is_cloudformation(vertex) else "policy"
        policy = _bucket_policy(graph, vertex, attribute, known)
        for bucket in targets:
            if bucket is not None:
                bucket.policies.append(policy)


def _attach_ambiguous_policy(vertex: Vertex, candidates: List[Optional[Bucket]], links: Links) -> None:
    """A policy whose bucket cannot be told may be any candidate's: each gets it, unreadable (UNKNOWN, not PASSED)."""
    found = [bucket for bucket in candidates if bucket is not None]
    reason = (f"{vertex.address} may be the policy of {', '.join(str(bucket) for bucket in found) or 'a bucket'}, "
              f"and the scan cannot tell which: its bucket is {'; '.join(links.unfollowed)}")
    logger.warning("spectrum-guard: %s", reason)
    policy = AttachedPolicy(vertex.address, resource_ref(vertex), Unresolved(reason))
    for bucket in found:
        bucket.policies.append(policy)


def data_locations(graph: ResourceGraph, buckets: Buckets, known: KnownValues) -> List[DataLocation]:
    """The S3 locations of Glue tables and crawler targets in buckets the scan can name."""
    found = []
    for vertex, kind, raw in _raw_locations(graph):
        # An unreadable location is logged and names no bucket, like an unresolved one.
        location = guarded(vertex, "S3 location", lambda: _resolved_value(vertex, raw, known))
        match = _S3_LOCATION.match(symbolic_text(location) or "")
        bucket = buckets.named(match.group("bucket")) if match else None
        if bucket is not None:
            prefix = _UNKNOWN_PART.split(match.group("key") or "", 1)[0]
            found.append(DataLocation(f"{kind} {vertex.address}", resource_ref(vertex), bucket, prefix))
    return found


def _bucket_name(vertex: Vertex) -> Union[str, UnknownValue]:
    """The name as written; a generated one (from a prefix, or from nothing) is a placeholder of its own."""
    generated = placeholder(f"the generated name of {vertex.address}", segment=True)
    if is_cloudformation(vertex):
        name = cloudformation.resolve(properties(vertex).get("BucketName"), scope=scope_of(vertex))
    else:
        name = resolve_terraform(single(vertex.attributes.get("bucket")), scope=scope_of(vertex))
        prefix = resolve_terraform(single(vertex.attributes.get("bucket_prefix")), scope=scope_of(vertex))
        if name is None and symbolic_text(prefix) is not None:
            name = partly_known(symbolic_text(prefix) + generated, f"generated from the prefix {prefix}")
    text = symbolic_text(name)
    if text is None:
        return partly_known(generated, f"the name generated for {vertex.address}")
    # Terraform turns a number or bool argument into its text (`bucket = false` names the bucket "false").
    return name if isinstance(name, UnknownValue) else text


def _bucket_policy(graph: ResourceGraph, vertex: Vertex, attribute: str, known: KnownValues) -> AttachedPolicy:
    if is_cloudformation(vertex):
        seen_from = known.seen_from(vertex)
        document = guarded(vertex, "bucket policy", lambda: cloudformation_policy(vertex, attribute, seen_from))
    else:
        document = guarded(vertex, "bucket policy", lambda: terraform_policy(
            graph, vertex, attribute, known.seen_by(graph, vertex)))
    return AttachedPolicy(vertex.address, resource_ref(vertex), document)


def _raw_locations(graph: ResourceGraph) -> Iterable[tuple]:
    for vertex in graph.of_type("aws_glue_catalog_table"):
        for block in as_blocks(vertex.attributes.get("storage_descriptor")):
            yield vertex, "Glue table", block.get("location")
    for vertex in graph.of_type("aws_glue_crawler"):
        for block in as_blocks(vertex.attributes.get("s3_target")):
            yield vertex, "Glue crawler", block.get("path")
    for vertex in graph.of_type("AWS::Glue::Table"):
        table = properties(vertex).get("TableInput")
        descriptor = table.get("StorageDescriptor") if isinstance(table, dict) else None
        if isinstance(descriptor, dict):
            yield vertex, "Glue table", descriptor.get("Location")
    for vertex in graph.of_type("AWS::Glue::Crawler"):
        targets = properties(vertex).get("Targets")
        for target in as_list(targets.get("S3Targets") if isinstance(targets, dict) else None):
            if isinstance(target, dict):
                yield vertex, "Glue crawler", target.get("Path")


def _resolved(vertex: Vertex, attribute: str, known: KnownValues) -> Any:
    raw = properties(vertex).get(attribute) if is_cloudformation(vertex) else vertex.attributes.get(attribute)
    return _resolved_value(vertex, raw, known)


def _resolved_value(vertex: Vertex, raw: Any, known: KnownValues) -> Any:
    if is_cloudformation(vertex):
        return cloudformation.resolve(raw, known.seen_from(vertex), scope_of(vertex))
    return resolve_terraform(single(raw), known.seen_from(vertex), scope_of(vertex))
