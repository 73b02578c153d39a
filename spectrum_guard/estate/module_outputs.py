"""Module outputs as a policy that refers to them sees them.

Checkov leaves `module.lake.bucket_arn` in a policy as written when it cannot render the expression around it;
`outputs_by_caller` gives what each such text stands for, in the scope of the module that calls the instance.

Otherwise Checkov copies into the policy the text the output's value holds, as the module wrote it
(`aws_s3_bucket.this.arn`, or a literal), in double quotes inside a longer string: `"${module.lake.bucket_arn}/*"`
becomes `"aws_s3_bucket.this.arn"/*`. The text means something only in the module's own scope, and the quotes
belong to no ARN. A copy may mislead: Checkov links a reference to an output of a module source instantiated more
than once to one instance, whichever the reference meant; it picks an output by its name, so of two modules'
outputs of the same name it may copy either; and two outputs may hold the same text. Such a copy is ambiguous:
the policy's own text in the Terraform source says which output it meant (`written_references`), else it stays
unknown.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, List, Optional, Set, Tuple

from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.module_calls import OUTPUT_REFERENCE
from spectrum_guard.estate.references import instance_of, references_of
from spectrum_guard.estate.values import MAX_DEPTH, TERRAFORM_REFERENCE, ShapeError

POLICY_DOCUMENT_DATA = "data.aws_iam_policy_document"
# A resource's address inside a module instance: the caller's module address, then the call and its key.
_CALLER = re.compile(
    r"^(?P<caller>(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*)module\.(?P<call>[^.\[]+)(?P<key>\[[^\]]*\])?\.[^.]+\.[^.]+$"
)
_INTERPOLATION = re.compile(r"\$\{\s*([^}]*?)\s*\}")


@dataclass(frozen=True)
class CopiedOutputs:
    texts: FrozenSet[str]  # the outputs' values, as Checkov copies them
    ambiguous: FrozenSet[str]  # those a copy of which may stand for another output's value
    # Each reference in those values, with a resource of the module instance it is written in (None when
    # the copy is ambiguous).
    references: Tuple[Tuple[str, Optional[Vertex]], ...]


_NOTHING_COPIED = CopiedOutputs(frozenset(), frozenset(), ())


def copied_outputs(graph: ResourceGraph, vertex: Vertex) -> CopiedOutputs:
    """What Checkov copied into `vertex` out of the outputs it refers to, directly or through the
    aws_iam_policy_document data sources it reads."""
    outputs = list({output.index: output for output in _outputs_referred(graph, vertex, visited=set())}.values())
    if not outputs:
        return _NOTHING_COPIED
    values: Dict[int, str] = {
        output.index: value for output in outputs if isinstance(value := output.attributes.get("value"), str)
    }
    names = Counter(output.attributes.get("block_name_") for output in outputs)
    holding = Counter(values.values())
    shared = references_of(graph).instantiated_more_than_once
    texts: Set[str] = set()
    ambiguous: Set[str] = set()
    references: List[Tuple[str, Optional[Vertex]]] = []
    for output in outputs:
        value = values.get(output.index)
        if value is None:
            continue
        copies = {value, _INTERPOLATION.sub(r"\1", value)}
        texts |= copies
        written_in: Optional[List[Any]] = _resources_behind(graph, output, visited=set())
        same_name = names[output.attributes.get("block_name_")] > 1
        if shared(output) or written_in is None or same_name or holding[value] > 1:
            ambiguous |= copies
            written_in = [None]
        for match in TERRAFORM_REFERENCE.finditer(value):
            references.extend((match.group(0), resource) for resource in written_in)
    return CopiedOutputs(frozenset(texts), frozenset(ambiguous), tuple(references))


def written_references(rendered: Any, written: Any, ambiguous: FrozenSet[str], depth: int = 0) -> Any:
    """`rendered` (Checkov's policy) with each string that holds an ambiguous copy replaced by the string at the
    same place in `written` (the policy as its source writes it), when that one names a module output."""
    if depth > MAX_DEPTH:
        raise ShapeError(f"nested more than {MAX_DEPTH} levels deep")
    # The HCL parser wraps each attribute's value in a list, which Checkov's rendering does not.
    wrapped = isinstance(written, list) and len(written) == 1
    if wrapped and (isinstance(rendered, str) or (isinstance(rendered, list) and isinstance(written[0], list))):
        written = written[0]
    if isinstance(rendered, str):
        copied = any(text in rendered for text in ambiguous)
        return written if copied and isinstance(written, str) and OUTPUT_REFERENCE.search(written) else rendered
    if isinstance(rendered, dict) and isinstance(written, dict):
        return {key: written_references(item, written.get(key), ambiguous, depth + 1) for key, item in rendered.items()}
    if isinstance(rendered, list) and isinstance(written, list) and len(rendered) == len(written):
        return [written_references(item, source, ambiguous, depth + 1) for item, source in zip(rendered, written)]
    return rendered


def outputs_by_caller(graph: ResourceGraph) -> List[Tuple[str, str, str, Vertex]]:
    """(directory and module address of the caller, `module.<call>.<output>` as it writes it, the output's value
    text, a resource of the instance it refers to) for every output whose value refers to a resource of its own
    module instance."""
    found = []
    for output in graph.vertices():
        if output.attributes.get("block_type_") != "output" or output.source == "CloudFormation":
            continue
        instance, value = instance_of(output), output.attributes.get("value")
        if instance is None or not isinstance(value, str):
            continue
        directory, call = instance[0], instance[1]
        for resource in graph.referenced_by(output, ("value",)):
            calling = _CALLER.match(resource.address)
            if resource.attributes.get("block_type_") == "resource" and calling and calling.group("call") == call:
                text = f"module.{call}{calling.group('key') or ''}.{output.attributes.get('block_name_')}"
                found.append((f"{directory}|{calling.group('caller')}", text, value, resource))
                break
    return found


def unquoted(value: Any, texts: FrozenSet[str], depth: int = 0) -> Any:
    """`value` without the double quotes Checkov puts around a copied output's text inside a longer string."""
    if depth > MAX_DEPTH:
        raise ShapeError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        if '"' in value:
            for text in texts:
                value = value.replace(f'"{text}"', text)
        return value
    if isinstance(value, dict):
        return {key: unquoted(item, texts, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [unquoted(item, texts, depth + 1) for item in value]
    return value


def _outputs_referred(graph: ResourceGraph, vertex: Vertex, visited: Set[int]) -> List[Vertex]:
    if vertex.index in visited:
        return []
    visited.add(vertex.index)
    found = []
    for target in graph.referenced_by(vertex):
        if target.attributes.get("block_type_") == "output":
            found.append(target)
        elif target.resource_type == POLICY_DOCUMENT_DATA:
            found.extend(_outputs_referred(graph, target, visited))
    return found


def _resources_behind(graph: ResourceGraph, output: Vertex, visited: Set[int]) -> Any:
    """The resources an output's value refers to, through the outputs of nested modules; None when the chain
    passes through a module source instantiated more than once."""
    if output.index in visited:
        return []
    visited.add(output.index)
    resources: List[Vertex] = []
    for target in graph.referenced_by(output, ("value",)):
        if target.attributes.get("block_type_") == "output":
            if references_of(graph).instantiated_more_than_once(target):
                return None
            behind = _resources_behind(graph, target, visited)
            if behind is None:
                return None
            resources.extend(behind)
        elif target.attributes.get("block_type_") in ("resource", "data"):
            resources.append(target)
    return resources
