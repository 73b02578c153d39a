"""CloudFormation intrinsic functions, resolved as far as a template alone allows.

Checkov's rendered vertex attributes pick one branch of Fn::If and substitute parameter defaults;
both are guesses about a deployment. This module reads the raw properties instead and marks anything
that depends on the deployment as UnknownValue.
"""
from __future__ import annotations

import re
import reprlib
from typing import Any

from spectrum_guard.estate.values import MAX_DEPTH, ShapeError, is_noise_key, without_noise
from spectrum_guard.policy import UnknownValue

_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}]*)\}")

_STRING_INTRINSICS = frozenset(
    ("Fn::GetAtt", "Fn::ImportValue", "Fn::FindInMap", "Fn::Select", "Fn::Base64", "Fn::GetAZs")
)

# Removed from its list or dict, as CloudFormation does.
_NO_VALUE = object()


def resolve(value: Any, depth: int = 0) -> Any:
    """`value` with every intrinsic replaced by its result or by UnknownValue."""
    if depth > MAX_DEPTH:
        raise ShapeError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        intrinsic = _intrinsic(value)
        if intrinsic is not None:
            name, argument = intrinsic
            return _resolve_intrinsic(name, argument, depth + 1)
        resolved = {key: resolve(item, depth + 1) for key, item in value.items() if not is_noise_key(key)}
        return {key: item for key, item in resolved.items() if item is not _NO_VALUE}
    if isinstance(value, (list, tuple)):
        items = [resolve(item, depth + 1) for item in value]
        return [item for item in items if item is not _NO_VALUE]
    return value


def _intrinsic(value: dict) -> tuple[str, Any] | None:
    # JSON templates annotate intrinsics with __file__/__startline__, so test the keys, not the length.
    keys = [key for key in value if not is_noise_key(key)]
    if len(keys) == 1 and isinstance(keys[0], str) and (keys[0] == "Ref" or keys[0].startswith("Fn::")):
        return keys[0], value[keys[0]]
    return None


def _resolve_intrinsic(name: str, argument: Any, depth: int) -> Any:
    if name == "Ref":
        if argument == "AWS::NoValue":
            return _NO_VALUE
        return UnknownValue(f"Ref {argument}", pattern="*")
    if name == "Fn::Sub":
        return _resolve_sub(argument, depth)
    if name == "Fn::Join":
        return _resolve_join(argument, depth)
    # These return a string, though not one a template alone can tell; Fn::If may return anything.
    pattern = "*" if name in _STRING_INTRINSICS else None
    return UnknownValue(f"{name} {_describe(argument)}", pattern=pattern)


def _resolve_sub(argument: Any, depth: int) -> Any:
    template, variables = argument, {}
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
        template, variables = argument[0], resolve(argument[1], depth)
    if not isinstance(template, str):
        return UnknownValue(f"Fn::Sub {_describe(argument)}")
    known = {name: value for name, value in variables.items() if isinstance(value, str)}
    text = _SUB_VARIABLE.sub(lambda match: known.get(match.group(1), "\0"), template).replace("${!", "${")
    if "\0" in text:
        return UnknownValue(f"Fn::Sub {template!r}", pattern=text.replace("\0", "*"))
    return text


def _resolve_join(argument: Any, depth: int) -> Any:
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
        return UnknownValue(f"Fn::Join {_describe(argument)}")
    parts = resolve(argument[1], depth)
    if not isinstance(parts, list):
        return UnknownValue(f"Fn::Join {_describe(argument)}")
    if all(isinstance(part, str) for part in parts):
        return argument[0].join(parts)
    if all(isinstance(part, str) or (isinstance(part, UnknownValue) and part.pattern) for part in parts):
        pattern = argument[0].join(part if isinstance(part, str) else part.pattern for part in parts)
        return UnknownValue(f"Fn::Join {_describe(argument)}", pattern=pattern)
    return UnknownValue(f"Fn::Join {_describe(argument)}")


def _describe(argument: Any) -> str:
    return _SHORT.repr(without_noise(argument))


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 60, 60
