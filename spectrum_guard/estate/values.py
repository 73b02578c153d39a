"""Checkov's value shapes, reduced to plain Python values.

Checkov wraps, collapses and annotates values differently for Terraform HCL, plan JSON and
CloudFormation. These helpers undo that, and turn whatever the scan could not resolve into
UnknownValue so that no later layer mistakes a reference for a literal.
"""
from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any, List, Mapping

from spectrum_guard.policy import ANONYMOUS, UnknownValue, partly_known, placeholder, symbolic_text

# Deeper than any real policy or property; stops hostile input long before Python's recursion limit.
MAX_DEPTH = 64

# Checkov's own annotations, which appear inside nested dicts (plan JSON adds the unmarked line keys).
_PLAN_LINE_KEYS = frozenset(("start_line", "end_line"))

# An unresolved Terraform reference as Checkov leaves it in text: `var.x`, `local.x`, `module.m.out`,
# `data.aws_x.y.attr`, or `aws_x.y.attr`, possibly embedded ("arn:aws:iam::var.account:root"), with any
# further attributes and indexes (`var.settings.bucket`, `aws_x.y[0].attr`). Resources of HashiCorp's utility
# providers too: bucket names often come from `random_pet.x.id` or `random_id.x.hex`.
TERRAFORM_REFERENCE = re.compile(
    r"(?<![\w.-])(?:(?:var|local|module|each|count|path)\.[A-Za-z_][\w-]*"
    r"|data\.[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*"
    r"|(?:aws|random|time|tls|local|archive)_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.[a-z_]+)"
    r"(?:\.[A-Za-z_][\w-]*|\[[^\]]*\])*"
)
_INTERPOLATION = re.compile(r"\$\{[^}]*\}")
_ANY_REFERENCE = re.compile(f"{_INTERPOLATION.pattern}|{TERRAFORM_REFERENCE.pattern}")
_UNSET = object()


class ShapeError(ValueError):
    """The value does not have a shape this plugin can read."""


def is_noise_key(key: Any) -> bool:
    return isinstance(key, str) and ((key.startswith("__") and key.endswith("__")) or key in _PLAN_LINE_KEYS)


def without_noise(value: Any, depth: int = 0) -> Any:
    """A copy of `value` without Checkov's annotation keys, refusing nesting deeper than MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise ShapeError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        return {key: without_noise(item, depth + 1) for key, item in value.items() if not is_noise_key(key)}
    if isinstance(value, (list, tuple)):
        return [without_noise(item, depth + 1) for item in value]
    return value


def as_list(value: Any) -> List[Any]:
    """Checkov may hand over a list, a list wrapped in a list, or a one-element list collapsed to its element."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        flat: List[Any] = []
        for item in value:
            flat.extend(as_list(item) if isinstance(item, (list, tuple)) else [item])
        return flat
    return [value]


def as_blocks(value: Any) -> List[dict]:
    """Terraform nested blocks: a dict, or a list of dicts (possibly wrapped)."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def single(value: Any) -> Any:
    """The scalar Checkov may have wrapped in a one-element list."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value


def terraform_reference(text: str) -> str | None:
    """The first unresolved reference inside a Terraform string, if any."""
    match = _INTERPOLATION.search(text) or TERRAFORM_REFERENCE.search(text)
    return match.group(0) if match else None


def resolve_terraform(
    value: Any, known: Mapping[str, Any] = MappingProxyType({}), scope: str = "", depth: int = 0
) -> Any:
    """Replace every string that still holds an unresolved Terraform reference with UnknownValue.

    A reference that `known` maps takes that value. Any other becomes a placeholder named after `scope` (the
    module it is written in) and its text, so the same expression in the same module is the same unknown.
    """
    if depth > MAX_DEPTH:
        raise ShapeError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        return _resolve_text(value, known, scope)
    if isinstance(value, dict):
        items = ((key, item) for key, item in value.items() if not is_noise_key(key))
        return {key: resolve_terraform(item, known, scope, depth + 1) for key, item in items}
    if isinstance(value, (list, tuple)):
        return [resolve_terraform(item, known, scope, depth + 1) for item in value]
    return value


def _resolve_text(text: str, known: Mapping[str, Any], scope: str) -> Any:
    parts: List[str] = []
    reasons: List[str] = []
    position = 0
    for match in _ANY_REFERENCE.finditer(text):
        reference = match.group(0)
        expression = reference[2:-1].strip() if reference.startswith("${") else reference
        value = known.get(expression, _UNSET)
        if value is _UNSET:
            reasons.append(f"{text!r} holds the unresolved Terraform reference {reference!r}")
            parts.append(text[position : match.start()] + placeholder(f"{scope}|{expression}"))
        else:
            if isinstance(value, UnknownValue):
                reasons.append(f"{reference} is {value.reason}")
            parts.append(text[position : match.start()] + (symbolic_text(value) or ANONYMOUS))
        position = match.end()
    if not parts:
        return text
    parts.append(text[position:])
    return partly_known("".join(parts), reasons[0] if reasons else text)
