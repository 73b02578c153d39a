"""What references to the scan's buckets and roles stand for, so that policies about them can be decided.

Terraform leaves `aws_s3_bucket.lake.arn` as text, CloudFormation writes `!GetAtt Lake.Arn`. Resolved here to
the bucket's ARN (fully known when its name is a literal), a statement about the bucket matches requests for
it. What stays unknown, such as an account, becomes a placeholder named after the module or template, so it
is the same unknown wherever that module or template refers to it.
"""
from __future__ import annotations

import os
import re
from collections import ChainMap, defaultdict
from typing import Any, Dict, Mapping, Optional

from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.module_outputs import copied_outputs, outputs_by_caller
from spectrum_guard.estate.values import resolve_terraform, single
from spectrum_guard.policy import UnknownValue, placeholder

_UNKNOWN = UnknownValue("not known in the module whose output Checkov copied it from")
_AMBIGUOUS = UnknownValue("copied by Checkov out of a module output that it may have mistaken for another")
_MODULE_PREFIX = re.compile(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*")


def scope_of(vertex: Vertex) -> str:
    """The module instance (Terraform) or template (CloudFormation) whose references the vertex shares."""
    if vertex.source == "CloudFormation":
        return vertex.file_path
    module = _MODULE_PREFIX.match(vertex.address)
    return f"{os.path.dirname(vertex.file_path)}|{module.group(0) if module else ''}"


def local_address(vertex: Vertex) -> str:
    """How code inside the vertex's own module refers to it (`aws_s3_bucket.lake`), or its logical ID."""
    if vertex.source == "CloudFormation":
        return vertex.address.rsplit(".", 1)[-1]
    return _MODULE_PREFIX.sub("", vertex.address)


def account_of(vertex: Vertex) -> str:
    """A placeholder for the account the vertex's resource lives in: that of its template, or of its provider
    configuration in its module."""
    if vertex.source == "CloudFormation":
        return placeholder(f"{scope_of(vertex)}|AWS::AccountId", segment=True)
    provider = single(vertex.attributes.get("provider"))
    alias = provider.strip("${}") if isinstance(provider, str) else "aws"
    return placeholder(f"{scope_of(vertex)}|account of provider {alias}", segment=True)


class KnownValues:
    """Values of references, by the scope they are written in."""

    def __init__(self) -> None:
        self._by_scope: Dict[str, Dict[str, Any]] = defaultdict(dict)

    def add(self, vertex: Vertex, values: Mapping[str, Any]) -> None:
        """`values` maps what follows the vertex's local address (".arn"; "" for a CloudFormation Ref)."""
        references = self._by_scope[scope_of(vertex)]
        for suffix, value in values.items():
            references[local_address(vertex) + suffix] = value

    def add_module_outputs(self, graph: ResourceGraph) -> None:
        """`module.lake.bucket_arn`, in the scope of the module that calls `lake`, stands for what the output's
        value stands for inside the instance."""
        for caller_scope, text, value, resource in outputs_by_caller(graph):
            resolved = resolve_terraform(value, self.seen_from(resource), scope_of(resource))
            self._by_scope[caller_scope].setdefault(text, resolved)

    def seen_from(self, vertex: Optional[Vertex]) -> Mapping[str, Any]:
        return self._by_scope.get(scope_of(vertex), {}) if vertex is not None else {}

    def seen_by(self, graph: ResourceGraph, vertex: Vertex) -> Mapping[str, Any]:
        """seen_from(vertex), and the references Checkov copied into its policies out of module outputs, each
        resolved in the module instance it is written in (module_outputs.py). A text that stands for different
        values there, or in the vertex's own scope, is unknown."""
        own = self.seen_from(vertex)
        copied: Dict[str, Any] = {}
        for text, resource in copied_outputs(graph, vertex).references:
            value = _AMBIGUOUS if resource is None else self.seen_from(resource).get(text, _UNKNOWN)
            if copied.setdefault(text, value) is not value or own.get(text, value) is not value:
                copied[text] = _AMBIGUOUS
        return ChainMap(copied, own) if copied else own
