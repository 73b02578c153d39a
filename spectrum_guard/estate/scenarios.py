"""Scenarios: the ways the scan's CloudFormation templates may be deployed, each with a graph of its own.

Checkov's graph holds every resource and both branches of every Fn::If. In a scenario, each template's
conditions that matter take one reachable combination of values (see conditions.py), and its graph keeps
only what that deployment creates: a resource whose Condition is false is gone, each Fn::If is its chosen
branch, and the edges Checkov drew from the other branch are dropped. The estate is built once per
scenario; the adapter reports FAILED when some scenario fails, PASSED when all pass.

Templates are deployed independently, so scenarios combine every template's combinations when there are at
most MAX_SCENARIOS of them. Beyond that, scenario k takes each template's k-th combination (cycling through
shorter lists): every combination of every template is judged, though not every pairing across templates.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from spectrum_guard.estate import cloudformation
from spectrum_guard.estate.conditions import Assignment, Template, Undecided, reachable_assignments
from spectrum_guard.estate.values import without_noise
from spectrum_guard.estate.graph import WRITTEN_CONFIG, WrittenConfig, written_config

MAX_SCENARIOS = 16

# CDK adds one to every stack, behind a condition on the region; it holds nothing a check reads.
_INERT_TYPES = frozenset(("AWS::CDK::Metadata",))

VertexData = Tuple[int, Mapping[str, Any]]
EdgeData = Tuple[int, int, str]


@dataclass(frozen=True)
class Scenario:
    """One deployment of the scan: the values of each conditional template's conditions."""

    assignments: Mapping[str, Assignment] = field(default_factory=dict)

    def describe(self, file_path: str, conditions: Iterable[str] = ()) -> str:
        """The given conditions of the template at `file_path`, or those that vary; every template's when
        that one has none."""
        if file_path in self.assignments:
            return self.assignments[file_path].describe(conditions)
        return "; ".join(f"{path}: {assignment.describe()}" for path, assignment in sorted(self.assignments.items()))


@dataclass(frozen=True)
class ScenarioGraph:
    scenario: Scenario
    vertices: List[VertexData]
    edges: List[EdgeData]


@dataclass(frozen=True)
class Scenarios:
    graphs: List[ScenarioGraph]
    # Templates whose conditions are not evaluated: their Fn::If stay unknown, their resources stay.
    undecided: Mapping[str, Undecided]
    # The conditions each resource vertex names (its Condition, its Fn::If): those that explain its results.
    conditions_of: Mapping[int, FrozenSet[str]] = field(default_factory=dict)


@dataclass
class _TemplateParts:
    parameters: Dict[str, Any] = field(default_factory=dict)
    conditions: Dict[str, Any] = field(default_factory=dict)
    mappings: Dict[str, Any] = field(default_factory=dict)
    relevant: Set[str] = field(default_factory=set)


def scenarios(vertices: Sequence[VertexData], edges: Sequence[EdgeData]) -> Scenarios:
    templates: Dict[str, _TemplateParts] = defaultdict(_TemplateParts)
    by_index = {index: attributes for index, attributes in vertices}
    resource_conditions: Dict[int, str] = {}
    conditions_of: Dict[int, Set[str]] = defaultdict(set)
    # The resources whose config may differ between deployments; the others stay as they are in every scenario.
    varying: Set[int] = set()
    for index, attributes in vertices:
        if attributes.get("source_") != "CloudFormation":
            continue
        parts = templates[str(attributes.get("file_path_") or "")]
        section = {"parameters": parts.parameters, "conditions": parts.conditions, "mappings": parts.mappings}
        block_type = attributes.get("block_type_")
        if block_type in section:
            section[block_type][str(attributes.get("block_name_"))] = without_noise(written_config(attributes))
        elif block_type == "resource" and attributes.get("resource_type") not in _INERT_TYPES:
            intrinsics: List[Tuple[str, Any]] = []
            cloudformation.specialised_intrinsics(written_config(attributes), intrinsics)
            if intrinsics:
                varying.add(index)
            conditions_of[index] = {
                argument[0] for name, argument in intrinsics if _chooses_by_condition(name, argument)
            }
            parts.relevant.update(conditions_of[index])
    for source, target, label in edges:
        source_attributes, target_attributes = by_index.get(source, {}), by_index.get(target, {})
        if label == "Condition" and target_attributes.get("block_type_") == "conditions" and (
            source_attributes.get("block_type_") == "resource"
        ):
            resource_conditions[source] = str(target_attributes.get("block_name_"))
            conditions_of[source].add(resource_conditions[source])
            if source_attributes.get("resource_type") not in _INERT_TYPES:
                templates[str(source_attributes.get("file_path_") or "")].relevant.add(resource_conditions[source])

    choices: Dict[str, List[Assignment]] = {}
    undecided: Dict[str, Undecided] = {}
    for path, parts in sorted(templates.items()):
        if not parts.relevant:
            continue
        template = Template(parts.parameters, parts.conditions, parts.mappings)
        try:
            choices[path] = reachable_assignments(template, parts.relevant)
        except Undecided as reason:
            undecided[path] = reason

    mappings = {path: parts.mappings for path, parts in templates.items()}
    graphs = [
        _graph(scenario, vertices, edges, resource_conditions, varying, mappings) for scenario in _combined(choices)
    ]
    return Scenarios(graphs, undecided, {index: frozenset(names) for index, names in conditions_of.items() if names})


def _combined(choices: Mapping[str, List[Assignment]]) -> List[Scenario]:
    paths = sorted(choices)
    total = 1
    for path in paths:
        total *= len(choices[path])
    if total <= MAX_SCENARIOS:
        return [Scenario(dict(zip(paths, picked))) for picked in itertools.product(*(choices[p] for p in paths))]
    longest = max(len(choices[path]) for path in paths)
    return [Scenario({path: choices[path][k % len(choices[path])] for path in paths}) for k in range(longest)]


def _graph(
    scenario: Scenario,
    vertices: Sequence[VertexData],
    edges: Sequence[EdgeData],
    resource_conditions: Mapping[int, str],
    varying: Set[int],
    mappings: Mapping[str, Mapping[str, Any]],
) -> ScenarioGraph:
    kept: List[VertexData] = []
    raw_configs: Dict[int, Any] = {}
    choosers: Dict[int, Callable[[str], Optional[bool]]] = {}
    for index, attributes in vertices:
        if attributes.get("source_") != "CloudFormation" or attributes.get("block_type_") != "resource":
            kept.append((index, attributes))
            continue
        path = str(attributes.get("file_path_") or "")
        assignment = scenario.assignments.get(path)
        choose = assignment.values.get if assignment is not None else _undecided
        if index in resource_conditions and choose(resource_conditions[index]) is False:
            continue
        if index not in varying:
            kept.append((index, attributes))
            continue
        choosers[index] = choose
        written = raw_configs[index] = written_config(attributes)
        specialised = cloudformation.specialise(written, choose, mappings.get(path, {}))
        if specialised is not written:
            attributes = {**attributes, WRITTEN_CONFIG: WrittenConfig(specialised)}
        kept.append((index, attributes))
    kept_edges = [
        (source, target, label)
        for source, target, label in edges
        if source not in choosers or _on_chosen_branches(raw_configs[source], label, choosers[source])
    ]
    return ScenarioGraph(scenario, kept, kept_edges)


def _undecided(condition: str) -> Optional[bool]:
    return None


def _chooses_by_condition(name: str, argument: Any) -> bool:
    return name == "Fn::If" and isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)


def _on_chosen_branches(config: Any, label: str, choose: Callable[[str], Optional[bool]]) -> bool:
    """False when the edge's attribute path (`Bucket.Fn::If.2`) runs through a Fn::If branch not chosen."""
    node = config
    parts = label.split(".")
    for position, part in enumerate(parts):
        if isinstance(node, dict):
            chosen = node.get("Fn::If") if part == "Fn::If" else None
            if isinstance(chosen, list) and len(chosen) == 3 and isinstance(chosen[0], str):
                decided = choose(chosen[0])
                following = parts[position + 1] if position + 1 < len(parts) else None
                if decided is not None and following in ("1", "2") and following != ("1" if decided else "2"):
                    return False
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return True
    return True
