"""A library-neutral view of Checkov's resource graph: vertex attribute dicts and labelled edges.

The adapter fills it from rustworkx or networkx; the estate builder reads only this.
"""
from __future__ import annotations

import os
from collections import defaultdict
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from spectrum_guard.estate.values import single

# Where the adapter keeps a CloudFormation vertex's config as written when Checkov renders it.
WRITTEN_CONFIG = "spectrum_guard_config_"


class WrittenConfig:
    """A config as written, held in a vertex's attributes where Checkov cannot see into it.

    Checkov flattens every dict or list attribute of a vertex into dotted keys and hashes the text of them all
    when it builds its graph; a plain dict here would double that work and the memory it holds, for every
    CloudFormation resource of the scan.
    """

    __slots__ = ("config",)

    def __init__(self, config: Any) -> None:
        self.config = config

    def __repr__(self) -> str:
        return "WrittenConfig"


class Vertex:
    """A vertex's attributes, and the names every part of the estate asks for (read once: Checkov's source
    attribute is an enum whose text is a Python call, asked for hundreds of thousands of times)."""

    __slots__ = ("index", "attributes", "resource_type", "address", "file_path", "source")

    def __init__(self, index: int, attributes: Mapping[str, Any]) -> None:
        self.index = index
        self.attributes = attributes
        self.resource_type = str(attributes.get("resource_type") or "")
        # How Checkov names the resource in its reports.
        self.address = str(attributes.get("__address__") or attributes.get("block_name_") or index)
        self.file_path = str(attributes.get("file_path_") or "")
        # 'Terraform' (HCL and plan) or 'CloudFormation'.
        self.source = str(attributes.get("source_") or "")

    def __repr__(self) -> str:
        return f"Vertex({self.address})"


def properties(vertex: Vertex) -> Dict[str, Any]:
    """CloudFormation properties as written. Checkov's rendered attributes, and the config of a vertex it
    rendered, guess Fn::If and parameters; the adapter keeps that vertex's config as written."""
    raw = written_config(vertex.attributes)
    return raw if isinstance(raw, dict) else {}


def written_config(attributes: Mapping[str, Any]) -> Any:
    kept = attributes.get(WRITTEN_CONFIG)
    return kept.config if isinstance(kept, WrittenConfig) else attributes.get("config_")


class ResourceGraph:
    """Vertices indexed by resource type, and each vertex's outgoing edges (referrer -> referenced)."""

    def __init__(
        self, vertices: Iterable[Tuple[int, Mapping[str, Any]]], edges: Iterable[Tuple[int, int, str]]
    ) -> None:
        self._vertices: Dict[int, Vertex] = {}
        self._by_type: Dict[str, List[Vertex]] = defaultdict(list)
        for index, attributes in vertices:
            vertex = Vertex(index, attributes)
            self._vertices[index] = vertex
            if attributes.get("block_type_") in ("resource", "data") and not counted_out(vertex):
                self._by_type[vertex.resource_type].append(vertex)
        self._files_root: Optional[str] = None
        self._out: Dict[int, List[Tuple[str, Vertex]]] = defaultdict(list)
        self.add_edges(edges)
        # Scanned files read again for what Checkov's graph drops, by path (see plan.py), so each is read once.
        self.source_files: Dict[str, Any] = {}

    def add_edges(self, edges: Iterable[Tuple[int, int, str]]) -> None:
        """Edges (referrer, referenced, attribute path) between known vertices; the others are ignored."""
        for source, target, label in edges:
            if source in self._vertices and target in self._vertices:
                self._out[source].append((label, self._vertices[target]))

    def files_root(self) -> str:
        """The deepest directory that holds every scanned file ("" when the graph names none)."""
        if self._files_root is None:
            directories = {os.path.dirname(os.path.abspath(vertex.file_path)) for vertex in self.vertices()
                           if vertex.file_path}
            self._files_root = os.path.commonpath(sorted(directories)) if directories else ""
        return self._files_root

    def vertex(self, index: int) -> Vertex:
        return self._vertices[index]

    def vertices(self) -> Iterable[Vertex]:
        return self._vertices.values()

    def of_type(self, *resource_types: str) -> List[Vertex]:
        """The resources (and data sources) of these types that Terraform creates: none with `count = 0`."""
        return [vertex for resource_type in resource_types for vertex in self._by_type.get(resource_type, ())]

    def referenced_by(self, vertex: Vertex, label_prefixes: Sequence[str] = ()) -> List[Vertex]:
        """Vertices that `vertex` references, through attributes whose path starts with one of the prefixes
        (all attributes when none are given). Each target appears once."""
        seen: Dict[int, Vertex] = {}
        for _, target in self.edges_from(vertex, label_prefixes):
            seen.setdefault(target.index, target)
        return list(seen.values())

    def edges_from(self, vertex: Vertex, label_prefixes: Sequence[str] = ()) -> List[Tuple[str, Vertex]]:
        """`vertex`'s outgoing edges (label, target) whose label starts with one of the prefixes (all when none)."""
        return [
            (label, target)
            for label, target in self._out.get(vertex.index, ())
            if not label_prefixes or any(path_starts_with(label, prefix) for prefix in label_prefixes)
        ]


def counted_out(vertex: Vertex) -> bool:
    """A resource with `count = 0`: Checkov keeps its vertex, Terraform creates nothing."""
    return single(vertex.attributes.get("count")) in (0, "0")


def path_starts_with(label: str, prefix: str) -> bool:
    return label == prefix or label.startswith(prefix + ".")
