"""What references to the scan's buckets and roles stand for, so that policies about them can be decided.

Terraform leaves `aws_s3_bucket.lake.arn` as text, CloudFormation writes `!GetAtt Lake.Arn`. Resolved here to
the bucket's ARN (fully known when its name is a literal), a statement about the bucket matches requests for
it. What stays unknown, such as an account, becomes a placeholder named after the module or template, so it
is the same unknown wherever that module or template refers to it.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Any, Dict, Mapping, Optional

from spectrum_guard.estate.graph import Vertex
from spectrum_guard.estate.values import single
from spectrum_guard.policy import placeholder

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

    def seen_from(self, vertex: Optional[Vertex]) -> Mapping[str, Any]:
        return self._by_scope.get(scope_of(vertex), {}) if vertex is not None else {}
