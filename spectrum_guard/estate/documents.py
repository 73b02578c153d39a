"""Policy documents in every form Checkov hands them over, resolved to one PolicyDocument."""
from __future__ import annotations

import ast
import json
import re
from functools import partial
from types import MappingProxyType
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Set

from spectrum_guard.estate import cloudformation, templates
from spectrum_guard.estate.graph import ResourceGraph, Vertex, properties
from spectrum_guard.estate.known_values import scope_of
from spectrum_guard.estate.module_outputs import POLICY_DOCUMENT_DATA, copied_outputs, unquoted, written_references
from spectrum_guard.estate.model import PolicyOrUnresolved, Unresolved
from spectrum_guard.estate.plan import computed_at_apply
from spectrum_guard.estate.references import references_of
from spectrum_guard.estate.values import (
    TERRAFORM_REFERENCE,
    ShapeError,
    as_blocks,
    as_list,
    resolve_terraform,
    single,
    without_noise,
)
from spectrum_guard.policy import PolicyError, UnknownValue, parse_policy


# Checkov leaves `jsonencode({...})` holding a reference in a list as Python-literal text, with or without
# `${}`. When the object also holds a value it converts (the string "false"), it quotes such a reference
# twice: `''aws_s3_bucket.b.arn'/*'` for "${aws_s3_bucket.b.arn}/*".
_JSONENCODE = re.compile(r"^(\$\{)?jsonencode\((?P<body>.*)\)(?(1)\})$", re.DOTALL)
_DOUBLY_QUOTED_REFERENCE = re.compile(f"''({TERRAFORM_REFERENCE.pattern})'")
_DOCUMENT_REFERENCE = re.compile(r"(?:^|\.)data\.aws_iam_policy_document\.(?P<name>[\w-]+)(?:\[[^\]]*\])?\.json$")
_NOTHING_KNOWN: Mapping[str, Any] = MappingProxyType({})
_ATTRIBUTE_VALUE = object()


def terraform_policy(
    graph: ResourceGraph,
    vertex: Vertex,
    attribute: str,
    known: Mapping[str, Any] = _NOTHING_KNOWN,
    value: Any = _ATTRIBUTE_VALUE,
) -> PolicyOrUnresolved:
    """The policy in a Terraform attribute (HCL or plan): a dict, JSON text, jsonencode or a policy document.

    `value` stands for the attribute's value when the policy sits in a nested block of that attribute;
    `known` gives the values of references (see known_values.py).
    """
    whole_attribute = value is _ATTRIBUTE_VALUE
    if whole_attribute:
        value = vertex.attributes.get(attribute)
    try:
        document = _terraform_document(graph, vertex, attribute, single(value), visited=set())
        if isinstance(document, Unresolved):
            return document
        copied = copied_outputs(graph, vertex)
        if copied.ambiguous and whole_attribute:
            document = _with_written_references(graph, vertex, attribute, document, copied.ambiguous)
        if copied.texts:
            document = unquoted(document, copied.texts)
        return _parsed(resolve_terraform(document, known, scope_of(vertex)))
    except ShapeError as error:
        return Unresolved(f"{attribute} {error}", malformed=True)


def cloudformation_policy(
    vertex: Vertex, property_name: str, known: Mapping[str, Any] = _NOTHING_KNOWN, value: Any = _ATTRIBUTE_VALUE
) -> PolicyOrUnresolved:
    """The policy in a CloudFormation property, read from the raw template with intrinsics resolved.

    `value` stands for the property's value when the policy sits deeper inside it (`Policies[0]`).
    """
    if value is _ATTRIBUTE_VALUE:
        written = properties(vertex)
        if property_name not in written:
            return Unresolved(f"{property_name} is missing", malformed=True)
        value = written[property_name]
    try:
        document = cloudformation.resolve(value, known, scope_of(vertex))
    except ShapeError as error:
        return Unresolved(f"{property_name} {error}", malformed=True)
    if isinstance(document, str):
        document = _json_document(document)
    if isinstance(document, UnknownValue):
        return Unresolved(f"{property_name} is {document.reason}")
    return document if isinstance(document, Unresolved) else _parsed(document)


def _parsed(document: Any) -> PolicyOrUnresolved:
    try:
        return parse_policy(document)
    except PolicyError as error:
        return Unresolved(str(error), malformed=True)


def _terraform_document(
    graph: ResourceGraph, vertex: Vertex, attribute: str, value: Any, visited: Set[int]
) -> Any:
    if isinstance(value, dict):
        return without_noise(value)
    if not isinstance(value, str):
        return Unresolved(f"{attribute} is {type(value).__name__}, not a policy", malformed=value is not None)
    text = value.strip()
    jsonencoded = _JSONENCODE.match(text)
    if jsonencoded:
        return _python_literal(jsonencoded.group("body"), attribute)
    if text.startswith("{"):
        return _json_document(text)
    for rendered in (templates.rendered_templatefile(graph, vertex, text),
                     templates.rendered_template_file(graph, vertex, attribute, text)):
        if rendered is not None:
            return rendered
    reference = _DOCUMENT_REFERENCE.search(text)
    if reference:
        source = _referenced_document(graph, vertex, attribute, reference.group("name"))
        if source is None:
            return Unresolved(f"{attribute} refers to {text}, which is not in the scan")
        return _rendered_policy_document(graph, source, visited)
    return Unresolved(f"{attribute} is the unresolved reference {text!r}")


def _with_written_references(
    graph: ResourceGraph, vertex: Vertex, attribute: str, document: Any, ambiguous: FrozenSet[str]
) -> Any:
    """The document with its ambiguous module-output copies read from the Terraform source instead."""
    written = references_of(graph).written(vertex, attribute)
    source = _terraform_document(graph, vertex, attribute, single(written), visited=set()) if written else None
    return written_references(document, source, ambiguous) if isinstance(source, dict) else document


def _with_written_statements(graph: ResourceGraph, data: Vertex) -> List[Any]:
    """The data source's statement blocks, with their ambiguous module-output copies read from the Terraform
    source instead."""
    blocks = as_blocks(data.attributes.get("statement"))
    ambiguous = copied_outputs(graph, data).ambiguous
    if not ambiguous:
        return blocks
    return written_references(blocks, as_blocks(references_of(graph).written(data, "statement")), ambiguous)


def _python_literal(body: str, attribute: str) -> Any:
    for text in (body, _DOUBLY_QUOTED_REFERENCE.sub(r"'\1", body)):
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
    return Unresolved(f"{attribute} is a jsonencode() expression with references Checkov could not render")


def _json_document(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        return Unresolved(f"policy text is not JSON ({error})", malformed=True)


def _referenced_document(graph: ResourceGraph, vertex: Vertex, attribute: str, name: str) -> Optional[Vertex]:
    for target in graph.referenced_by(vertex, (attribute, "references_")):
        if target.resource_type == POLICY_DOCUMENT_DATA and target.address.split("[")[0].endswith(f".{name}"):
            return target
    return None


def _rendered_policy_document(graph: ResourceGraph, data: Vertex, visited: Set[int]) -> Any:
    """What `data.aws_iam_policy_document.x.json` evaluates to, following the provider's merge rules.

    In a plan, a value the data source computes at apply time is unknown (see plan.computed_at_apply).
    """
    if data.index in visited:
        return Unresolved(f"{data.address} includes itself", malformed=True)
    visited = visited | {data.index}
    attributes = data.attributes
    statements: List[Any] = []
    for attribute in ("source_policy_documents", "statement", "override_policy_documents"):
        if attribute == "statement":
            incoming = [
                _statement_from_block(block, partial(_computed_in_statement, graph, data, at))
                for at, block in enumerate(_with_written_statements(graph, data))
            ]
        else:
            computed = computed_at_apply(graph, data, (attribute,))
            if computed:
                return Unresolved(computed)
            incoming = []
            for text in as_list(attributes.get(attribute)):
                document = _terraform_document(graph, data, attribute, text, visited)
                if isinstance(document, Unresolved):
                    return document
                incoming.extend(as_list(document.get("Statement")) if isinstance(document, dict) else [document])
        statements = _merged(statements, incoming, replace_by_sid=attribute != "source_policy_documents")
    return {"Version": single(attributes.get("version")) or "2012-10-17", "Statement": statements}


def _computed_in_statement(graph: ResourceGraph, data: Vertex, position: int, *path: Any) -> Optional[str]:
    return computed_at_apply(graph, data, ("statement", position, *path))


def _merged(statements: List[Any], incoming: List[Any], replace_by_sid: bool) -> List[Any]:
    """Statements with a Sid already present are replaced (the current document and overrides win)."""
    merged = list(statements)
    for statement in incoming:
        sid = statement.get("Sid") if isinstance(statement, dict) else None
        position = next(
            (
                i
                for i, existing in enumerate(merged)
                if sid and isinstance(existing, dict) and existing.get("Sid") == sid
            ),
            None,
        )
        if replace_by_sid and position is not None:
            merged[position] = statement
        else:
            merged.append(statement)
    return merged


def _statement_from_block(block: Dict[str, Any], computed: Callable[..., Optional[str]]) -> Dict[str, Any]:
    """`computed(*path)` tells why a value inside the block is unknown, or None when it is as Checkov shows it."""

    statement: Dict[str, Any] = {"Effect": single(block.get("effect")) or "Allow"}
    sid = single(block.get("sid"))
    if sid:
        statement["Sid"] = sid
    for attribute, element in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        reason = computed(attribute)
        if reason:
            statement[element] = UnknownValue(reason)
        elif block.get(attribute) is not None:
            statement[element] = as_list(block[attribute])
    for attribute, element in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = _principals(as_blocks(block.get(attribute)), lambda *path, a=attribute: computed(a, *path))
        if principals is not None:
            statement[element] = principals
    conditions: Dict[str, Dict[str, List[Any]]] = {}
    for position, condition in enumerate(as_blocks(block.get("condition"))):
        if computed("condition", position, "test") or computed("condition", position, "variable"):
            return {**statement, "Condition": UnknownValue(computed("condition", position) or "")}
        values = conditions.setdefault(str(single(condition.get("test"))), {}).setdefault(
            str(single(condition.get("variable"))), []
        )
        reason = computed("condition", position, "values")
        values.extend([UnknownValue(reason)] if reason else as_list(condition.get("values")))
    if conditions:
        statement["Condition"] = conditions
    return statement


def _principals(blocks: List[Dict[str, Any]], computed: Callable[..., Optional[str]]) -> Any:
    if not blocks:
        return None
    principals: Dict[str, List[Any]] = {}
    for position, block in enumerate(blocks):
        reason = computed(position, "type")
        if reason:
            return UnknownValue(reason)
        kind = str(single(block.get("type")))
        reason = computed(position, "identifiers")
        principals.setdefault(kind, []).extend([UnknownValue(reason)] if reason else as_list(block.get("identifiers")))
    if list(principals) == ["*"]:
        return "*"
    return principals
