"""What a resource's attribute refers to, followed the way Checkov's graph records it.

Terraform: references go through module outputs, module variables and locals before they reach a
resource; count and for_each instances are chosen from the reference text, because Checkov links every
instance reference to one instance. Plan graphs label edges with the attribute only when its value is
computed; otherwise the resource's `references_` edges, told apart by resource type, are all there is.
CloudFormation: each element of a list links on its own.

A module source instantiated more than once is the exception: Checkov links every reference to one of its
outputs to one instance, so the instance is read from the reference's text (module_calls.py). When the text
cannot tell, the link is ambiguous: no target, the reason, and every instance it may mean as candidates.

Whatever cannot be followed inside the scan is named, so that no caller mistakes "not found" for "none".
"""
from __future__ import annotations

import json
import os
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from spectrum_guard.estate.graph import ResourceGraph, Vertex, counted_out, path_starts_with, properties
from spectrum_guard.estate.module_calls import ModuleCalls
from spectrum_guard.estate.plan import indexed_like_itself
from spectrum_guard.estate.values import as_list, single, terraform_reference, without_noise

PLAN_REFERENCES = "references_"

_INSTANCE = re.compile(r"^(?P<base>.+)\[(?P<key>[^\[\]]*)\]$")
# A managed resource named in Terraform text, with the instance it picks: aws_subnet.a, aws_subnet.b[*].
_RESOURCE_REFERENCE = re.compile(r"(?<![\w.-])(?P<name>aws_[a-z0-9_]+\.[A-Za-z_][\w-]*)(?P<index>\[[^\]]*\])?")
_MODULE_PATH = re.compile(r"^(?:module\.[\w-]+(?:\[[^\]]*\])?\.)+")
_LITERAL_ID = re.compile(r"\b(?:subnet|sg|rtb|vpc|vpce|igw|nat|pl|tgw|eigw|pcx|eni|i)-[0-9a-f]{8,17}\b")
_OUTSIDE = {
    "data.terraform_remote_state": "remote state",
    "data.tfe_outputs": "another workspace's outputs",
}


@dataclass
class Links:
    """The resources an attribute refers to, and the parts of it the scan cannot follow."""

    targets: List[Vertex] = field(default_factory=list)
    unfollowed: List[str] = field(default_factory=list)
    # A reference into a module source used more than once, whose instance its text does not tell: no target
    # is trusted (Checkov also renders its value from one instance), and these are the resources it may mean.
    ambiguous: bool = False
    candidates: List[Vertex] = field(default_factory=list)


_BY_GRAPH: weakref.WeakKeyDictionary[ResourceGraph, References] = weakref.WeakKeyDictionary()


def references_of(graph: ResourceGraph) -> References:
    """One index per graph, shared by every part of the estate that follows references.

    The index refers to its graph weakly: a value that holds its weak key keeps it alive, and with it every
    graph of the process (Checkov's vertices included) until exit."""
    references = _BY_GRAPH.get(graph)
    if references is None:
        references = _BY_GRAPH[graph] = References(weakref.proxy(graph))
    return references


class References:
    """Indexes the graph once, then answers `links(vertex, attribute, resource_types)`."""

    def __init__(self, graph: ResourceGraph) -> None:
        self._graph = graph
        # Resources by directory and address without instance key (several roots may reuse an address),
        # then by instance key ("" for a resource without count or for_each).
        self._resources: Dict[Tuple[str, str], Dict[str, Vertex]] = defaultdict(dict)
        modules_by_file: Dict[str, Set[str]] = defaultdict(set)
        # Outputs by the instance they belong to (see instance_of) and name; and by module source and name.
        self._outputs: Dict[Tuple[str, str, str, str, str], Vertex] = {}
        self._outputs_of_source: Dict[Tuple[str, str], List[Vertex]] = defaultdict(list)
        for vertex in graph.vertices():
            if vertex.source == "CloudFormation":
                continue  # these tables serve Terraform's text references and modules only
            block_type = vertex.attributes.get("block_type_")
            if block_type in ("resource", "data"):
                base, key = _instance(vertex.address)
                self._resources[(os.path.dirname(vertex.file_path), base)][key] = vertex
            elif block_type == "output":
                name = str(vertex.attributes.get("block_name_"))
                instance = instance_of(vertex)
                if instance is not None:
                    self._outputs[instance + (name,)] = vertex
                self._outputs_of_source[(vertex.file_path, name)].append(vertex)
            modules_by_file[vertex.file_path].add(str(vertex.attributes.get("source_module_object_")))
        self._shared_module_files = {path for path, modules in modules_by_file.items() if len(modules) > 1}
        self._module_calls = ModuleCalls()

    def links(self, vertex: Vertex, attribute: str, resource_types: Sequence[str]) -> Links:
        """Resources of `resource_types` that `vertex`'s attribute (a dotted path) refers to."""
        if vertex.source == "CloudFormation":
            links = self._cloudformation_links(vertex, attribute)
        else:
            links = Links()
            miswired: List[str] = []
            ambiguous: List[Vertex] = []
            # Checkov does not expand a for_each over another resource: `each.value` means its instances.
            each = any(text.startswith("each.") for text in _strings(vertex.attributes.get(attribute)))
            self._follow(vertex, ("for_each",) if each else (attribute,), links, miswired, ambiguous, visited=set())
            # references_ does not say which block a nested reference came from.
            if not links.targets and not links.unfollowed and "." not in attribute:
                self._follow(
                    vertex, (PLAN_REFERENCES,), links, miswired, ambiguous, visited=set(), only=resource_types
                )
            if miswired:
                return Links([], miswired, ambiguous=True, candidates=self._candidates(ambiguous, resource_types))
            links.targets = [target for target in links.targets if not counted_out(target)]
            self._add_unlinked_values(vertex, attribute, links)
        links.unfollowed += [
            _outside(target, resource_types) for target in links.targets if target.resource_type not in resource_types
        ]
        links.targets = [target for target in links.targets if target.resource_type in resource_types]
        return links

    def written(self, vertex: Vertex, attribute: str) -> Any:
        """The attribute as the vertex's Terraform source writes it (None when it cannot be read)."""
        return self._module_calls.written(vertex, attribute)

    def instantiated_more_than_once(self, vertex: Vertex) -> bool:
        """Whether the module source of `vertex` is instantiated more than once."""
        return vertex.file_path in self._shared_module_files

    def is_null(self, vertex: Vertex, attribute: str) -> bool:
        """`attribute = var.x`, where x is declared `default = null` and the module call leaves it unset.

        Terraform then treats the attribute as absent; Checkov leaves the reference unresolved.
        """
        variables = [target for _, target in self._graph.edges_from(vertex, (attribute,))]
        return len(variables) == 1 and _is_unset_null(variables[0], single(vertex.attributes.get(attribute)))

    def _follow(
        self,
        vertex: Vertex,
        labels: Tuple[str, ...],
        links: Links,
        miswired: List[str],
        ambiguous: List[Vertex],
        visited: Set[int],
        only: Sequence[str] = (),
    ) -> None:
        if vertex.index in visited:
            return
        visited.add(vertex.index)
        for label, target in self._graph.edges_from(vertex, labels):
            block_type = target.attributes.get("block_type_")
            # Inside each instance Checkov links locals and variables right; a reference to an output of a
            # module source instantiated more than once goes to one instance's output, whichever it meant.
            if block_type == "output" and target.file_path in self._shared_module_files:
                meant = self._outputs_meant(vertex, label, target)
                if meant is None:
                    miswired.append(
                        f"the output {_name(target)} of a module source instantiated more than once, in an "
                        "instance its text does not name (Checkov links it to one instance, whichever it meant)"
                    )
                    ambiguous.extend(self._outputs_of_source[(target.file_path, _name(target))])
                for output in meant or ():
                    self._follow(output, (), links, miswired, ambiguous, visited)
            elif block_type in ("output", "locals"):
                self._follow(target, (), links, miswired, ambiguous, visited)
            elif block_type == "variable":
                self._follow_variable(target, links, miswired, ambiguous, visited)
            elif block_type in ("resource", "data") and (not only or target.resource_type in only):
                for instance in self._instances_meant(vertex, label, target):
                    if all(instance.index != known.index for known in links.targets):
                        links.targets.append(instance)

    def _outputs_meant(self, referrer: Vertex, label: str, output: Vertex) -> Optional[List[Vertex]]:
        """The outputs the referrer's text names, in the module instances it calls; None when it cannot tell."""
        name = _name(output)
        named = self._module_calls.named(referrer, label, name)
        if named is None:
            return None
        caller = _canonical(_module_object(referrer))
        directory = os.path.dirname(referrer.file_path)
        outputs = [self._outputs.get((directory, call, key, caller, name)) for call, key in named]
        return None if any(found is None for found in outputs) else outputs

    def _candidates(self, outputs: List[Vertex], resource_types: Sequence[str]) -> List[Vertex]:
        """The resources of every instance an ambiguous reference may mean."""
        found = Links()
        visited: Set[int] = set()
        for output in outputs:
            self._follow(output, (), found, [], [], visited)
        return [target for target in found.targets if target.resource_type in resource_types]

    def _follow_variable(
        self, variable: Vertex, links: Links, miswired: List[str], ambiguous: List[Vertex], visited: Set[int]
    ) -> None:
        """A module's variable takes its value from the module call; a root variable from outside the scan."""
        name = str(variable.attributes.get("block_name_") or "")
        calls = [
            target
            for _, target in self._graph.edges_from(variable, ("default",))
            if target.attributes.get("block_type_") == "module"
        ]
        for call in calls:
            self._follow(call, (name,), links, miswired, ambiguous, visited)
        if not calls and variable.attributes.get("default") in (None, [], ""):
            links.unfollowed.append(f"var.{name}")

    def _instances_meant(self, source: Vertex, label: str, target: Vertex) -> List[Vertex]:
        """Checkov links a reference to any instance of a count/for_each resource to one instance."""
        base, key = _instance(target.address)
        if not key:
            return [target]
        if indexed_like_itself(self._graph, source, label):
            same = self._resources.get((os.path.dirname(target.file_path), base), {}).get(_instance(source.address)[1])
            return [same] if same else []
        # Inside a module, the text names the resource without the module path.
        texts = _strings(source.attributes.get(label))
        named = self._named(texts, os.path.dirname(target.file_path), _module_path(base), _MODULE_PATH.sub("", base))
        return named or [target]

    def _named(self, texts: List[str], directory: str, module_path: str, only: str = "") -> List[Vertex]:
        """The resources the texts name, in that module: `x[*]`, `x` alone and `for ... in x` mean every instance."""
        named: Dict[int, Vertex] = {}
        for text in texts:
            for found in _RESOURCE_REFERENCE.finditer(text):
                if only and found.group("name") != only:
                    continue
                instances = self._resources.get((directory, module_path + found.group("name")), {})
                key = found.group("index")[1:-1].strip('"') if found.group("index") else "*"
                for vertex in instances.values() if key == "*" else [instances[key]] if key in instances else []:
                    if not counted_out(vertex):
                        named.setdefault(vertex.index, vertex)
        return list(named.values())

    def _add_unlinked_values(self, vertex: Vertex, attribute: str, links: Links) -> None:
        """Literal IDs name resources outside the scan; a reference with no edge was not followed."""
        texts = _strings(vertex.attributes.get(attribute))
        for text in texts:
            links.unfollowed += [f"{literal}, which the scan does not define" for literal in _LITERAL_ID.findall(text)]
        if not links.targets and not links.unfollowed:
            # Checkov drops some edges (a splat over an address that another root reuses): read the text.
            links.targets = self._named(texts, os.path.dirname(vertex.file_path), _module_path(vertex.address))
        if not links.targets and not links.unfollowed:
            for text in texts:
                if terraform_reference(text):
                    links.unfollowed.append(f"{text}, which the graph does not link to a resource{_why(vertex, text)}")

    def _cloudformation_links(self, vertex: Vertex, path: str) -> Links:
        """Each element links through its own edge; an element without one is not a resource of the template."""
        links = Links()
        value = _at_path(properties(vertex), path)
        elements = value if isinstance(value, list) else ([] if value is None else [value])
        edges = self._graph.edges_from(vertex, (path,))
        for position, element in enumerate(elements):
            # A lone element may also be linked under the attribute's own path.
            linked = (
                [target for _, target in edges]
                if len(elements) == 1
                else [target for label, target in edges if path_starts_with(label, f"{path}.{position}")]
            )
            if not (linked and isinstance(element, dict) and ("Ref" in element or "Fn::GetAtt" in element)):
                links.unfollowed.append(f"{_describe(element)}, which is not a resource of this template")
                continue
            for target in linked:
                if target.attributes.get("block_type_") == "parameters":
                    links.unfollowed.append(f"the parameter {_name(target)}")
                elif all(target.index != known.index for known in links.targets):
                    links.targets.append(target)
        return links


def _why(vertex: Vertex, reference: str) -> str:
    if not reference.startswith("module."):
        return ""
    if "__change_actions__" in vertex.attributes:
        return " (a plan's graph does not link across modules)"
    return " (a module outside the scan? Checkov loads registry modules only with --download-external-modules)"


def _is_unset_null(variable: Vertex, reference: Any) -> bool:
    name = variable.attributes.get("block_name_")
    if variable.attributes.get("block_type_") != "variable" or reference != f"var.{name}":
        return False
    config = variable.attributes.get("config_")
    declaration = config.get(name) if isinstance(config, dict) else None
    # The module call's value replaces the declared default in the instance's config.
    return isinstance(declaration, dict) and "default" in declaration and single(declaration["default"]) is None


def _instance(address: str) -> Tuple[str, str]:
    """("aws_subnet.a", "0") for "aws_subnet.a[0]"; ("aws_subnet.a", "") for "aws_subnet.a"."""
    match = _INSTANCE.match(address)
    return (match.group("base"), match.group("key").strip('"')) if match else (address, "")


def _module_object(vertex: Vertex) -> Any:
    """The module instance Checkov records a vertex in (None in the root module), as a dict. Checkov holds it
    as an object whose text is JSON, or as that text."""
    raw = vertex.attributes.get("source_module_object_")
    if raw is None or isinstance(raw, dict):
        return raw
    try:
        return json.loads(str(raw))
    except ValueError:
        return str(raw)


def _canonical(module_object: Any) -> str:
    return json.dumps(module_object, sort_keys=True, default=str)


def instance_of(output: Vertex) -> Optional[Tuple[str, str, str, str]]:
    """(directory of the calling module, call name, instance key, the calling module's own instance)."""
    module = _module_object(output)
    if not isinstance(module, dict) or not isinstance(module.get("path"), str):
        return None
    key = module.get("foreach_idx")
    return (
        os.path.dirname(module["path"]),
        str(module.get("name")),
        "" if key is None else str(key),
        _canonical(module.get("nested_tf_module")),
    )


def _module_path(address: str) -> str:
    match = _MODULE_PATH.match(address)
    return match.group(0) if match else ""


def _at_path(value: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _strings(value: Any) -> List[str]:
    return [item for item in as_list(value) if isinstance(item, str)]


def _name(vertex: Vertex) -> str:
    return str(vertex.attributes.get("__address__") or vertex.attributes.get("block_name_") or vertex.index)


def _outside(target: Vertex, expected: Sequence[str]) -> str:
    what = _OUTSIDE.get(target.resource_type)
    if what:
        return f"{_name(target)} ({what})"
    if target.attributes.get("block_type_") == "data":
        return f"{_name(target)}, a data source: what it reads is not defined in the scan"
    return f"{_name(target)}, which is not one of {', '.join(expected)}"


def _describe(value: Any) -> str:
    text = value if isinstance(value, str) else repr(without_noise(value))
    return text if len(text) <= 80 else text[:77] + "..."
