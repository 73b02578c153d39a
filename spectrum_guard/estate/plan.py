"""What a Terraform plan's own JSON holds and Checkov's plan graph drops.

Checkov 3.3.30 (terraform/plan_parser.py) makes one vertex per resource of `planned_values`. From
`configuration` it keeps, for each attribute computed at apply time, only the first reference that is not a
`var.` or `local.` one, put in place of the value, and every reference, unsplit, under `references_`. It drops:
- module calls, module outputs and variables, so no edge crosses a module boundary;
- `after_unknown`, so inside a nested block an unknown value reads as if it were its first reference
  (`resources = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"]` becomes `["aws_s3_bucket.b.arn"]`);
- `prior_state`: a data source read during the plan has no vertex, but what refers to it holds its value;
- `resource_changes` of resources being destroyed, which are not planned values and have no vertex.

The plan JSON has no expression text (only `constant_value` or `references`), and no locals. This module
reads each plan file once per estate and gives back what it can: links through module calls and outputs,
and which planned values are unknown.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.values import MAX_DEPTH

logger = logging.getLogger(__name__)

_INSTANCE_KEY = re.compile(r"\[[^\]]*\]")
# A reference's resource part: `aws_x.y` or `data.aws_x.y`, before any attribute.
_RESOURCE = re.compile(r"^(?:data\.)?[A-Za-z][\w-]*\.[A-Za-z_][\w-]*")
# The module path of an address without instance keys: "module.net.module.subnets." (empty in the root).
_MODULE_PREFIX = re.compile(r"^(?:module\.[^.]+\.)*")
# Checkov's vertex of a plan resource has this attribute; an HCL vertex never does.
_CHANGE_ACTIONS = "__change_actions__"


def is_plan(vertex: Vertex) -> bool:
    return _CHANGE_ACTIONS in vertex.attributes


def without_instance_keys(address: str) -> str:
    return _INSTANCE_KEY.sub("", address)


class _Module:
    """One module of a plan's `configuration`: its resources' expressions, calls and outputs."""

    def __init__(self, prefix: str, body: Dict[str, Any], parent: Optional["_Module"], call: Dict[str, Any]) -> None:
        self.prefix = prefix  # "" for the root module, "module.net.module.subnets." for a nested one
        self.parent = parent
        self.call = call  # the module block that calls this module, in the parent (empty for the root)
        self.resources: Dict[str, Dict[str, Any]] = {
            str(resource.get("address")): resource.get("expressions") or {}
            for resource in _dicts(body.get("resources"))
        }
        self.for_each: Dict[str, List[str]] = {
            str(resource.get("address")): _references(resource.get("for_each_expression"))
            for resource in _dicts(body.get("resources"))
        }
        self.outputs: Dict[str, Any] = _dict(body.get("outputs"))
        self.calls: Dict[str, Dict[str, Any]] = _dict(body.get("module_calls"))


class Plan:
    """One plan file: its configuration's modules, and what each planned resource leaves unknown."""

    def __init__(self, document: Dict[str, Any]) -> None:
        self._modules: Dict[str, _Module] = {}
        configuration = document.get("configuration")
        root = configuration.get("root_module") if isinstance(configuration, dict) else None
        if isinstance(root, dict):
            self._add_module("", root, None, {}, depth=0)
        self._after_unknown: Dict[str, Any] = {}
        for change in _dicts(document.get("resource_changes")):
            details = change.get("change")
            if isinstance(details, dict) and isinstance(change.get("address"), str):
                self._after_unknown[change["address"]] = details.get("after_unknown")

    def _add_module(
        self, prefix: str, body: Dict[str, Any], parent: Optional[_Module], call: Dict[str, Any], depth: int
    ) -> None:
        if depth > MAX_DEPTH:
            return
        module = _Module(prefix, body, parent, call)
        self._modules[prefix] = module
        for name, child_call in module.calls.items():
            child = child_call.get("module") if isinstance(child_call, dict) else None
            if isinstance(child, dict):
                self._add_module(f"{prefix}module.{name}.", child, module, child_call, depth + 1)

    def expressions(self, address: str) -> Tuple[Optional[_Module], Dict[str, Any]]:
        """The module a resource is declared in, and its configuration's expressions."""
        local = without_instance_keys(address)
        prefix = _MODULE_PREFIX.match(local).group(0)
        module = self._modules.get(prefix)
        if module is None:
            return None, {}
        return module, module.resources.get(local[len(prefix):], {})

    def for_each(self, address: str) -> List[str]:
        """The references of the resource's for_each expression."""
        module, _ = self.expressions(address)
        return module.for_each.get(without_instance_keys(address)[len(module.prefix):], []) if module else []

    def resources_reached(self, module: _Module, references: Iterable[str]) -> Set[str]:
        """Resource addresses (without instance keys) the references reach through module variables and
        outputs. A local is a dead end: the plan records neither its expression nor its references."""
        reached: Set[str] = set()
        pending = [(module, reference) for reference in references]
        seen: Set[Tuple[str, str]] = set()
        while pending:
            module, reference = pending.pop()
            if (module.prefix, reference) in seen:
                continue
            seen.add((module.prefix, reference))
            parts = without_instance_keys(reference).split(".")
            if parts[0] == "var":
                # A root variable's value is already in the planned values.
                if module.parent is not None and len(parts) > 1:
                    expression = (module.call.get("expressions") or {}).get(parts[1])
                    pending += [(module.parent, found) for found in _references(expression)]
            elif parts[0] == "module":
                child = self._modules.get(f"{module.prefix}module.{parts[1]}.") if len(parts) > 2 else None
                output = child.outputs.get(parts[2]) if child else None
                expression = output.get("expression") if isinstance(output, dict) else None
                pending += [(child, found) for found in _references(expression)] if child else []
            elif parts[0] not in ("local", "each", "count", "self", "path", "terraform"):
                match = _RESOURCE.match(".".join(parts))
                if match:
                    reached.add(module.prefix + match.group(0))
        return reached

    def after_unknown(self, address: str) -> Any:
        """`after_unknown` of the resource's change: True where a value is known only after apply."""
        return self._after_unknown.get(address)


def plan_of(graph: ResourceGraph, vertex: Vertex) -> Optional[Plan]:
    """The plan file that holds the vertex, read on first use and kept with the graph."""
    if not is_plan(vertex):
        return None
    path = vertex.file_path
    if path not in graph.source_files:
        graph.source_files[path] = _read(path)
    return graph.source_files[path]


def add_plan_links(graph: ResourceGraph) -> None:
    """Add the edges Checkov's plan graph lacks, as its HCL graph would have them:
    - from an attribute to each resource it reaches through a module variable or output, labelled with the
      attribute's path (`policy`, `route.gateway_id`);
    - from a resource with `for_each` to every instance of each resource its for_each expression reaches,
      labelled `for_each`: that is what `each.value` stands for (`subnet_id = each.value.id`), and a plan
      records no more of it.
    """
    by_address: Dict[Tuple[str, str], List[Vertex]] = {}
    plan_vertices = [
        vertex
        for vertex in graph.vertices()
        if vertex.attributes.get("block_type_") in ("resource", "data") and is_plan(vertex)
    ]
    for vertex in plan_vertices:
        by_address.setdefault((vertex.file_path, without_instance_keys(vertex.address)), []).append(vertex)
    edges: List[Tuple[int, int, str]] = []
    for vertex in plan_vertices:
        plan = plan_of(graph, vertex)
        if plan is None:
            continue
        module, expressions = plan.expressions(vertex.address)
        if module is None:
            continue
        labelled = [
            # Checkov already links references that stay inside the module.
            (label, [reference for reference in references if reference.split(".")[0] in ("var", "module")])
            for label, references in _expression_references(expressions, "", depth=0)
        ]
        labelled.append(("for_each", plan.for_each(vertex.address)))
        for label, references in labelled:
            for address in sorted(plan.resources_reached(module, references)):
                for target in by_address.get((vertex.file_path, address), ()):
                    edges.append((vertex.index, target.index, label))
    graph.add_edges(edges)


def computed_at_apply(graph: ResourceGraph, vertex: Vertex, path: Sequence[Any]) -> Optional[str]:
    """Why the planned value at `path` (keys and list positions) is not the value Checkov shows, or None.

    In a plan, Checkov shows an attribute computed at apply time as its first reference, which inside a
    block reads as if it were the whole value: whatever `after_unknown` marks unknown, in or around
    `path`, is unknown.
    """
    plan = plan_of(graph, vertex)
    if plan is None or not _unknown_within(plan.after_unknown(vertex.address), path):
        return None
    _, expressions = plan.expressions(vertex.address)
    references = _references(_at(expressions, path))
    source = f" from {', '.join(references)}" if references else ""
    where = ".".join(str(step) for step in path)
    return f"{vertex.address}'s {where} is computed at apply time{source}, and a plan does not record how"


def indexed_like_itself(graph: ResourceGraph, vertex: Vertex, attribute: str) -> bool:
    """Whether the attribute's expression picks an instance by the vertex's own `count.index` or `each.key`
    (`aws_subnet.private[count.index].id`): a plan records the index only as that reference."""
    plan = plan_of(graph, vertex)
    if plan is None:
        return False
    _, expressions = plan.expressions(vertex.address)
    references = _references(_at(expressions, attribute.split(".")))
    return "count.index" in references or "each.key" in references


def _unknown_within(after_unknown: Any, path: Sequence[Any]) -> bool:
    value = after_unknown
    for step in path:
        if value is True:
            return True
        value = _at(value, (step,))
    return _holds_true(value, depth=0)


def _holds_true(value: Any, depth: int) -> bool:
    if value is True:
        return True
    if depth > MAX_DEPTH:
        return False
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return any(_holds_true(item, depth + 1) for item in items)


def _at(value: Any, path: Sequence[Any]) -> Any:
    for step in path:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    return value


def _expression_references(expressions: Any, path: str, depth: int) -> Iterable[Tuple[str, List[str]]]:
    """(attribute path, references) for every expression, nested blocks included."""
    if depth > MAX_DEPTH or not isinstance(expressions, dict):
        return
    for name, expression in expressions.items():
        label = f"{path}.{name}" if path else str(name)
        if isinstance(expression, dict) and "references" in expression:
            yield label, _references(expression)
        elif isinstance(expression, list):
            for block in expression:
                yield from _expression_references(block, label, depth + 1)


def _references(expression: Any) -> List[str]:
    found = expression.get("references") if isinstance(expression, dict) else None
    return [reference for reference in found or () if isinstance(reference, str)]


def _dict(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> List[Dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _read(path: str) -> Optional[Plan]:
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, ValueError, RecursionError) as error:
        logger.warning("spectrum-guard could not read the plan %s again (%r): links across modules are not followed",
                       path, error)
        return None
    return Plan(document) if isinstance(document, dict) else None
