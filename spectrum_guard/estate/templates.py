"""Policies rendered from template files: `templatefile(path, vars)` and the legacy `data "template_file"`.

Checkov 3.3.30 evaluates neither. It leaves a templatefile() call as text, with the vars map written in Python
literal syntax: a literal is quoted, a value it rendered from a reference (a variable's default, a module input)
is written bare, and a reference it could not resolve stays `'${aws_vpc_endpoint.s3.id}'`. A template_file data
source keeps its `vars` as a map, with unresolved references as text.

Only what a policy template needs is rendered: `${name}` of a variable in the map. A literal value is inserted
as Terraform would insert it. A reference is inserted as the reference, escaped for a JSON string, so that the
policy reads it as an unknown value (outside a string it leaves the text invalid JSON, hence undecided).
Directives (`%{if}`, `%{for}`), other expressions, lists and maps leave the policy unresolved.

The file is read relative to the module's directory, and only inside the directory that holds the scanned files.
"""
from __future__ import annotations

import ast
import json
import os
import re
from typing import Any, Dict, Optional, Tuple, Union

from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.model import Unresolved
from spectrum_guard.estate.values import TERRAFORM_REFERENCE, as_list, single, terraform_reference

TEMPLATE_FILE_DATA = "data.template_file"
# Larger than any IAM policy (20 KB for a bucket policy): a bigger file is not a policy template.
MAX_TEMPLATE_BYTES = 256 * 1024

_TEMPLATEFILE = re.compile(r"^(\$\{)?templatefile\((?P<arguments>.*)\)(?(1)\})$", re.DOTALL)
_FILE = re.compile(r"^(\$\{)?file\(\"(?P<path>(?:[^\"\\]|\\.)*)\"\)(?(1)\})$", re.DOTALL)
_PATH_ARGUMENT = re.compile(r"^\s*\"(?P<path>(?:[^\"\\]|\\.)*)\"\s*,\s*(?P<variables>.*?)\s*$", re.DOTALL)
_RENDERED_REFERENCE = re.compile(r"(?:^|\.)data\.template_file\.(?P<name>[\w-]+)(?:\[[^\]]*\])?\.rendered$")
_MODULE_DIRECTORY = re.compile(r"^(?:\$\{path\.module\}|path\.module)/")
_MODULE_ADDRESS = re.compile(r"^module\.")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# A value Checkov wrote without quotes: text with no separator of the map, possibly holding `${...}`.
_BARE = re.compile(r"(?:[^\s,:{}\[\]'\"()\\$]|:(?!\s)|\$(?!\{)|\$\{[^{}'\"]*\})+")
_SEPARATOR = re.compile(r"\s*(?P<mark>[,}])\s*")
_KEY_END = re.compile(r"\s*:\s*")
_MARKER = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_NAME = re.compile(r"^[A-Za-z_][\w-]*$")


class _Reference(str):
    """A variable's value that is a Terraform expression, not a literal."""


class _NotText:
    """A list or map: Terraform cannot interpolate it into a template."""

    def __init__(self, text: str) -> None:
        self.text = text


_Value = Union[str, _Reference, _NotText]


def rendered_templatefile(graph: ResourceGraph, vertex: Vertex, text: str) -> Optional[Any]:
    """The JSON a `templatefile(...)` call in `vertex` renders (or Unresolved); None if `text` is no such call."""
    call = _TEMPLATEFILE.match(text)
    if call is None:
        return None
    arguments = _PATH_ARGUMENT.match(call.group("arguments"))
    if arguments is None:
        return Unresolved(f"the templatefile() call {_short(text)} has arguments spectrum-guard cannot read")
    variables = _variables_of_call(arguments.group("variables"))
    if isinstance(variables, Unresolved):
        return variables
    return _rendered(graph, vertex, arguments.group("path"), variables)


def rendered_template_file(graph: ResourceGraph, vertex: Vertex, attribute: str, text: str) -> Optional[Any]:
    """The JSON `data.template_file.x.rendered` stands for (or Unresolved); None if `text` is no such reference."""
    reference = _RENDERED_REFERENCE.search(text)
    if reference is None:
        return None
    data = next(
        (
            target
            for target in graph.referenced_by(vertex, (attribute, "references_"))
            if target.resource_type == TEMPLATE_FILE_DATA
            and target.address.split("[")[0].endswith(f".{reference.group('name')}")
        ),
        None,
    )
    if data is None:
        return Unresolved(f"{attribute} refers to {text}, which is not in the scan")
    if any(data.attributes.get(meta) is not None for meta in ("count", "for_each")):
        return Unresolved(f"{data.address} has several instances, and which one {text} means is not known")
    template = single(data.attributes.get("template"))
    source = _FILE.match(template.strip()) if isinstance(template, str) else None
    if source is None:
        return Unresolved(f"the template of {data.address} is not file(...) of a path spectrum-guard can read")
    variables = _variables_of_data(data.attributes.get("vars"))
    if isinstance(variables, Unresolved):
        return variables
    return _rendered(graph, data, source.group("path"), variables)


def _rendered(graph: ResourceGraph, vertex: Vertex, path_text: str, variables: Dict[str, _Value]) -> Any:
    path = _template_path(graph, vertex, path_text)
    if isinstance(path, Unresolved):
        return path
    text = _read(path, path_text)
    if isinstance(text, Unresolved):
        return text
    rendered = render(text, variables, path_text)
    if isinstance(rendered, Unresolved):
        return rendered
    body, references = rendered
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as error:
        if references:
            return Unresolved(
                f"the template {path_text} does not render to JSON when {', '.join(references)} "
                f"stand in for values the scan does not know ({error})"
            )
        return Unresolved(f"the template {path_text} does not render to JSON ({error})", malformed=True)


def render(text: str, variables: Dict[str, _Value], where: str) -> Union[Tuple[str, list], Unresolved]:
    """The template with each `${name}` replaced, and the references inserted; Unresolved for anything else."""
    parts = []
    references = []
    position = 0
    for marker in _MARKER.finditer(text):
        if marker.start() < position:
            continue  # inside an interpolation already consumed
        parts.append(text[position : marker.start()])
        token = marker.group(0)
        if token in ("$${", "%%{"):
            parts.append(token[1:])
            position = marker.end()
            continue
        if token == "%{":
            return Unresolved(f"the template {where} uses a directive ({_short(text[marker.start():], 30)}), "
                              "which spectrum-guard does not evaluate")
        end = text.find("}", marker.end())
        if end < 0:
            return Unresolved(f"the template {where} has an unclosed ${{", malformed=True)
        expression = text[marker.end() : end].strip()
        if not _NAME.match(expression):
            return Unresolved(f"the template {where} holds the expression ${{{expression}}}, "
                              "which spectrum-guard does not evaluate (only ${name} of a variable)")
        if expression not in variables:
            # Checkov writes a map variable it cannot resolve as {}: a missing name is not proof of an error.
            return Unresolved(f"the template {where} uses ${{{expression}}}, which the variables the scan can read "
                              "do not give")
        value = variables[expression]
        if isinstance(value, _NotText):
            return Unresolved(f"the template {where} interpolates {expression}, a list or map ({_short(value.text)})")
        if isinstance(value, _Reference):
            references.append(f"{expression} ({_short(value)})")
            parts.append(json.dumps(value)[1:-1])
        else:
            parts.append(value)
        position = end + 1
    parts.append(text[position:])
    return "".join(parts), references


def _template_path(graph: ResourceGraph, vertex: Vertex, path_text: str) -> Union[str, Unresolved]:
    """The file `path_text` names, if it lies inside the scanned tree."""
    module_relative = _MODULE_DIRECTORY.match(path_text)
    relative = path_text[module_relative.end():] if module_relative else path_text
    if terraform_reference(relative) or "\\" in relative:
        return Unresolved(f"the template path {path_text} is not a literal path")
    if os.path.isabs(relative):
        return Unresolved(f"the template path {path_text} is absolute, so it depends on the machine")
    if not module_relative and _MODULE_ADDRESS.match(vertex.address):
        return Unresolved(f"the template path {path_text} is relative to where Terraform runs, not to the module")
    root = graph.files_root()
    if not root:
        return Unresolved(f"the scan's directory is not known, so the template {path_text} is not read")
    path = os.path.realpath(os.path.join(os.path.dirname(vertex.file_path), relative))
    if os.path.commonpath([path, os.path.realpath(root)]) != os.path.realpath(root):
        return Unresolved(f"the template {path_text} lies outside the scanned directory")
    return path


def _read(path: str, path_text: str) -> Union[str, Unresolved]:
    if not os.path.isfile(path):
        return Unresolved(f"the template {path_text} is not in the scan")
    if os.path.getsize(path) > MAX_TEMPLATE_BYTES:
        return Unresolved(f"the template {path_text} is larger than {MAX_TEMPLATE_BYTES} bytes", malformed=True)
    try:
        with open(path, encoding="utf-8") as template:
            return template.read()
    except (OSError, UnicodeDecodeError) as error:
        return Unresolved(f"the template {path_text} cannot be read ({error})", malformed=True)


def _variables_of_call(text: str) -> Union[Dict[str, _Value], Unresolved]:
    """The vars map of a templatefile() call as Checkov writes it: `{'bucket': 'x', 'vpce': vpce-1}`."""
    unreadable = Unresolved(f"the template variables {_short(text)} are not a map spectrum-guard can read")
    if not text.startswith("{"):
        return Unresolved(f"the template variables {_short(text)} are not known") if terraform_reference(text) \
            else unreadable
    variables: Dict[str, _Value] = {}
    position = _SEPARATOR.match(text, 1).end() if text[1:].lstrip().startswith("}") else 1
    closed = position > 1
    while not closed:
        key = _QUOTED.match(text, _skip_spaces(text, position))
        key_end = _KEY_END.match(text, key.end()) if key else None
        if key_end is None:
            return unreadable
        value, position = _value_at(text, key_end.end())
        separator = _SEPARATOR.match(text, position) if value is not None else None
        if separator is None:
            return unreadable
        name = ast.literal_eval(key.group(0))
        if name in variables:
            return unreadable
        variables[name] = value
        position, closed = separator.end(), separator.group("mark") == "}"
    return variables if position == len(text) else unreadable


def _value_at(text: str, position: int) -> Tuple[Optional[_Value], int]:
    quoted = _QUOTED.match(text, position)
    if quoted:
        raw = ast.literal_eval(quoted.group(0))
        return (_classified(raw) if "\\" not in raw else None), quoted.end()
    if text[position : position + 1] in ("[", "{"):
        end = _closing(text, position)
        return (None, position) if end is None else (_NotText(text[position:end]), end)
    bare = _BARE.match(text, position)
    if bare is None:
        return None, position
    word = bare.group(0)
    return _classified({"True": "true", "False": "false"}.get(word, word)), bare.end()


def _variables_of_data(value: Any) -> Union[Dict[str, _Value], Unresolved]:
    """A template_file's vars: a map whose values are literals, or references Checkov left as text."""
    variables = single(value)
    if variables is None:
        return {}
    if not isinstance(variables, dict):
        return Unresolved(f"the template variables {_short(repr(variables))} are not known")
    found: Dict[str, _Value] = {}
    for name, item in variables.items():
        item = single(item)
        if isinstance(item, bool):
            found[name] = "true" if item else "false"
        elif isinstance(item, (int, float)):
            found[name] = str(item)
        elif isinstance(item, str):
            found[name] = _classified(item)
        else:
            found[name] = _NotText(repr(as_list(item)))
    return found


def _classified(text: str) -> _Value:
    """A reference, kept as one (`${...}` around a bare one); or a literal."""
    if "${" in text:
        return _Reference(text)
    if TERRAFORM_REFERENCE.fullmatch(text):
        return _Reference("${" + text + "}")
    if terraform_reference(text):
        return _Reference(text)
    return text


def _closing(text: str, start: int) -> Optional[int]:
    """The position after the bracket that closes the one at `start`, skipping quoted text."""
    depth, position = 0, start
    while position < len(text):
        quoted = _QUOTED.match(text, position)
        if quoted:
            position = quoted.end()
            continue
        if text[position] in "[{":
            depth += 1
        elif text[position] in "]}":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return None


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
