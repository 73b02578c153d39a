"""Reading one vertex of Checkov's graph: where it is reported, its raw CloudFormation properties, what it links to."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Iterable, List, Mapping, TypeVar

from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.model import ResourceRef, Unresolved

logger = logging.getLogger(__name__)

# Where the adapter keeps a CloudFormation vertex's config as written when Checkov renders it.
WRITTEN_CONFIG = "spectrum_guard_config_"

# Plan graphs link resources only through this attribute, whatever attribute held the reference.
PLAN_REFERENCES = "references_"

_Built = TypeVar("_Built")


def resource_ref(vertex: Vertex) -> ResourceRef:
    return ResourceRef(vertex_index=vertex.index, address=vertex.address, file_path=vertex.file_path)


def is_cloudformation(vertex: Vertex) -> bool:
    return vertex.source == "CloudFormation"


def properties(vertex: Vertex) -> Dict[str, Any]:
    """CloudFormation properties as written. Checkov's rendered attributes, and the config of a vertex it
    rendered, guess Fn::If and parameters; the adapter keeps that vertex's config as written."""
    raw = written_config(vertex.attributes)
    return raw if isinstance(raw, dict) else {}


def written_config(attributes: Mapping[str, Any]) -> Any:
    return attributes.get(WRITTEN_CONFIG, attributes.get("config_"))


def guarded(vertex: Vertex, what: str, build: Callable[[], _Built]) -> _Built | Unresolved:
    """One broken resource must not stop the estate: it becomes Unresolved, and the error is logged."""
    try:
        return build()
    except Exception as error:  # noqa: BLE001 - any bug here must degrade to UNKNOWN for this resource only
        logger.error("spectrum-guard could not read the %s of %s: %r", what, vertex.address, error, exc_info=True)
        return Unresolved(f"internal error while reading the {what}: {error!r}", malformed=True)


def linked(
    graph: ResourceGraph, vertex: Vertex, attributes: Iterable[str], resource_types: Iterable[str]
) -> List[Vertex]:
    """Resources of the given types that the vertex refers to through the attributes. A plan graph may link
    a set attribute only through its catch-all references, which then stand in."""
    wanted, attributes = set(resource_types), tuple(attributes)
    targets = [target for target in graph.referenced_by(vertex, attributes) if target.resource_type in wanted]
    if targets or all(vertex.attributes.get(attribute) is None for attribute in attributes):
        return targets
    return [target for target in graph.referenced_by(vertex, (PLAN_REFERENCES,)) if target.resource_type in wanted]
