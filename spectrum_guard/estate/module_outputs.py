"""Module outputs as a policy that refers to them sees them.

Checkov leaves `module.lake.bucket_arn` as written when it cannot render the expression around it (a
jsonencode() that refers to the outputs of two modules, say): `outputs_by_caller` gives each such text, in the
scope of the module that calls the instance. Otherwise Checkov renders `module.lake.bucket_arn` in a policy as the text the module's output holds, as the module wrote
it: `aws_s3_bucket.this.arn`, or a literal. Inside a longer string it adds double quotes:
`"${module.lake.bucket_arn}/*"` becomes `"aws_s3_bucket.this.arn"/*`. The text means something only in the
module's own scope, and the quotes belong to no ARN.

An output of a module source instantiated more than once is left as Checkov wrote it: Checkov copies one
instance's value, whichever instance the reference meant (references.py).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, FrozenSet, List, Optional, Set, Tuple

from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.references import instance_of, references_of
from spectrum_guard.estate.values import MAX_DEPTH, TERRAFORM_REFERENCE, ShapeError

POLICY_DOCUMENT_DATA = "data.aws_iam_policy_document"
# A resource's address inside a module instance: the caller's module address, then the call and its key.
_CALLER = re.compile(r"^(?P<caller>(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*)module\.(?P<call>[^.\[]+)(?P<key>\[[^\]]*\])?\.[^.]+\.[^.]+$")
_INTERPOLATION = re.compile(r"\$\{\s*([^}]*?)\s*\}")


@dataclass(frozen=True)
class CopiedOutputs:
    texts: FrozenSet[str]  # the outputs' values, as Checkov copies them
    # Each reference in those values, with a resource of the module instance it is written in (None when
    # Checkov may have copied it from another module).
    references: Tuple[Tuple[str, Optional[Vertex]], ...]


def copied_outputs(graph: ResourceGraph, vertex: Vertex) -> CopiedOutputs:
    """The outputs `vertex` refers to, directly or through the aws_iam_policy_document data sources it reads."""
    texts: Set[str] = set()
    references: List[Tuple[str, Optional[Vertex]]] = []
    shared = references_of(graph).instantiated_more_than_once
    outputs = [output for output in _outputs_referred(graph, vertex, visited=set()) if not shared(output)]
    names = Counter(output.attributes.get("block_name_") for output in outputs)
    for output in outputs:
        value = output.attributes.get("value")
        if not isinstance(value, str):
            continue
        texts |= {value, _INTERPOLATION.sub(r"\1", value)}
        written_in = _resources_behind(graph, output, visited=set())
        if written_in is None:
            continue
        # Checkov picks an output by its name: of two modules' outputs of the same name, it may copy either.
        if names[output.attributes.get("block_name_")] > 1:
            written_in = [None]
        for match in TERRAFORM_REFERENCE.finditer(value):
            references.extend((match.group(0), resource) for resource in written_in)
    return CopiedOutputs(frozenset(texts), tuple(references))


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
