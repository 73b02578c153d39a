"""Checkov's graph as an Estate, from whichever library holds it.

rustworkx is Checkov's default; CHECKOV_GRAPH_FRAMEWORK=NETWORKX picks networkx.

Every check of a run asks for the estate of the same graph, from concurrent threads; it is built once,
with the configuration found for the files the graph holds, for each scenario of its CloudFormation
conditions (see estate/scenarios.py).
"""
from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Tuple

from spectrum_guard.config import Configuration, load_configuration, locate_configuration
from spectrum_guard.estate import Estate, ResourceGraph, build_estate
from spectrum_guard.estate.conditions import Undecided
from spectrum_guard.estate.scenarios import Scenario, ScenarioGraph, Scenarios, scenarios

logger = logging.getLogger("spectrum_guard")

_KEEP = 4  # graphs of runners that share this process (thread parallelism runs several at once)
_lock = threading.Lock()
_built: "OrderedDict[int, Tuple[Any, ScannedGraph]]" = OrderedDict()


@dataclass(frozen=True)
class ScannedGraph:
    graph: ResourceGraph  # Checkov's whole graph, where results are reported
    estates: List[Tuple[Scenario, Estate]]
    undecided: Mapping[str, Undecided]  # templates whose conditions were not evaluated, by file path
    conditions_of: Mapping[int, FrozenSet[str]]  # the conditions each resource vertex names


def estate_of(graph_connector: Any) -> ScannedGraph:
    with _lock:
        entry = _built.get(id(graph_connector))
        # Holding the graph object itself keeps its id from being reused by a later graph.
        if entry is None or entry[0] is not graph_connector:
            vertices, edges = _vertices_and_edges(graph_connector)
            configuration = _configuration(attributes.get("file_path_") for _, attributes in vertices)
            found = _scenarios(vertices, edges)
            estates = [
                (each.scenario, build_estate(ResourceGraph(each.vertices, each.edges), configuration))
                for each in found.graphs
            ]
            scanned = ScannedGraph(ResourceGraph(vertices, edges), estates, found.undecided, found.conditions_of)
            entry = (graph_connector, scanned)
            _built[id(graph_connector)] = entry
            while len(_built) > _KEEP:
                _built.popitem(last=False)
        return entry[1]


def forget(graph_connector: Any) -> None:
    """Drops the estates of a graph whose checks have all run. Left in place, they would hold memory through
    Checkov's report, and Python would spend seconds at exit freeing them."""
    with _lock:
        entry = _built.get(id(graph_connector))
        if entry is not None and entry[0] is graph_connector:
            del _built[id(graph_connector)]


def _scenarios(vertices: List[Tuple[int, Dict[str, Any]]], edges: List[Tuple[int, int, str]]) -> Scenarios:
    """A bug in reading conditions leaves every Fn::If unknown and every resource in place, as if undecided."""
    try:
        return scenarios(vertices, edges)
    except Exception as error:  # noqa: BLE001
        logger.error("spectrum-guard could not evaluate CloudFormation conditions: %r", error, exc_info=True)
        return Scenarios([ScenarioGraph(Scenario(), vertices, edges)], {})


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
