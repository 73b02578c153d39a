"""Reading one vertex of Checkov's graph: where it is reported, what it links to, guarded against bugs."""
from __future__ import annotations

import logging
from typing import Callable, Sequence, TypeVar

from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.model import ResourceRef, Unresolved
from spectrum_guard.estate.references import Links, references_of

logger = logging.getLogger(__name__)

_Built = TypeVar("_Built")


def resource_ref(vertex: Vertex) -> ResourceRef:
    return ResourceRef(vertex_index=vertex.index, address=vertex.address, file_path=vertex.file_path)


def is_cloudformation(vertex: Vertex) -> bool:
    return vertex.source == "CloudFormation"


def guarded(vertex: Vertex, what: str, build: Callable[[], _Built]) -> _Built | Unresolved:
    """One broken resource must not stop the estate: it becomes Unresolved, and the error is logged."""
    try:
        return build()
    except Exception as error:  # noqa: BLE001 - any bug here must degrade to UNKNOWN for this resource only
        logger.error("spectrum-guard could not read the %s of %s: %r", what, vertex.address, error, exc_info=True)
        return Unresolved(f"internal error while reading the {what}: {error!r}", malformed=True)


def linked(graph: ResourceGraph, vertex: Vertex, attribute: str, resource_types: Sequence[str]) -> Links:
    """Resources of the given types that the vertex's attribute refers to: Terraform's through modules, locals,
    count and for_each (see references.py), where an ambiguous link has no targets, only candidates.
    CloudFormation's by any edge, each branch of an Fn::If too: what either branch attaches may be attached."""
    if is_cloudformation(vertex):
        wanted = set(resource_types)
        return Links([target for target in graph.referenced_by(vertex, (attribute,)) if target.resource_type in wanted])
    return references_of(graph).links(vertex, attribute, tuple(resource_types))
