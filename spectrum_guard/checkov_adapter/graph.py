"""Checkov's graph as an Estate, from whichever library holds it.

rustworkx is Checkov's default; CHECKOV_GRAPH_FRAMEWORK=NETWORKX picks networkx.

Every check of a run asks for the estate of the same graph, from concurrent threads; it is built once,
with the configuration found for the files the graph holds.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any, Dict, Iterable, List, Tuple

from spectrum_guard.config import Configuration, load_configuration, locate_configuration
from spectrum_guard.estate import Estate, ResourceGraph, build_estate

_KEEP = 4  # graphs of runners that share this process (thread parallelism runs several at once)
_lock = threading.Lock()
_built: "OrderedDict[int, Tuple[Any, ResourceGraph, Estate]]" = OrderedDict()


def estate_of(graph_connector: Any) -> Tuple[ResourceGraph, Estate]:
    with _lock:
        entry = _built.get(id(graph_connector))
        # Holding the graph object itself keeps its id from being reused by a later graph.
        if entry is None or entry[0] is not graph_connector:
            vertices, edges = _vertices_and_edges(graph_connector)
            configuration = _configuration(attributes.get("file_path_") for _, attributes in vertices)
            graph = ResourceGraph(vertices, edges)
            entry = (graph_connector, graph, build_estate(graph, configuration))
            _built[id(graph_connector)] = entry
            while len(_built) > _KEEP:
                _built.popitem(last=False)
        return entry[1], entry[2]


def _configuration(scanned_files: Iterable[Any]) -> Configuration:
    """Raises ConfigurationError for an invalid file: a scan must not go on without what it declares."""
    path = locate_configuration([path for path in scanned_files if isinstance(path, str)], os.environ)
    return load_configuration(path) if path else Configuration()


def _vertices_and_edges(graph_connector: Any) -> Tuple[List[Tuple[int, Dict[str, Any]]], List[Tuple[int, int, str]]]:
    if hasattr(graph_connector, "node_indices"):  # rustworkx: each node's payload is (index, attributes)
        vertices = [(index, graph_connector[index][1]) for index in graph_connector.node_indices()]
        edges = [(source, target, _label(data)) for source, target, data in graph_connector.weighted_edge_list()]
    else:  # networkx
        vertices = list(graph_connector.nodes(data=True))
        edges = [(source, target, _label(data)) for source, target, data in graph_connector.edges(data=True)]
    return vertices, edges


def _label(edge_data: Any) -> str:
    return str(edge_data.get("label", "")) if isinstance(edge_data, dict) else ""
