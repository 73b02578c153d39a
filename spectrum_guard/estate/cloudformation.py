"""CloudFormation intrinsic functions, resolved as far as a template alone allows.

Checkov's rendered vertex attributes pick one branch of Fn::If and substitute parameter defaults;
both are guesses about a deployment. This module reads the raw properties instead and marks anything
that depends on the deployment as UnknownValue.
"""
from __future__ import annotations

import re
import reprlib
from types import MappingProxyType
from typing import Any, Mapping

from spectrum_guard.estate.values import MAX_DEPTH, ShapeError, is_noise_key, without_noise
from spectrum_guard.policy import ANONYMOUS, UnknownValue, partly_known, placeholder, symbolic_text

_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}]*)\}")

_STRING_INTRINSICS = frozenset(
    ("Fn::GetAtt", "Fn::ImportValue", "Fn::FindInMap", "Fn::Select", "Fn::Base64", "Fn::GetAZs")
)

# Pseudo parameters with one value wherever the policies are evaluated: ARNs read the same in every partition.
_CONSTANTS = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
# Pseudo parameters that never hold a separator, so that an ARN pattern can rule them out of its other parts.
_SEGMENTS = frozenset(("AWS::AccountId", "AWS::Region"))

# Removed from its list or dict, as CloudFormation does.
_NO_VALUE = object()

_NOTHING_KNOWN: Mapping[str, Any] = MappingProxyType({})


def resolve(value: Any, known: Mapping[str, Any] = _NOTHING_KNOWN, scope: str = "", depth: int = 0) -> Any:
    """`value` with every intrinsic replaced by its result or by UnknownValue.

    `known` maps a logical ID (what `Ref` returns) or `LogicalId.Attribute` (what `Fn::GetAtt` returns) to its
    value. Anything else becomes a placeholder named after `scope` (the template), so that each parameter or
    attribute is the same unknown wherever the template uses it.
    """
    if depth > MAX_DEPTH:
        raise ShapeError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        intrinsic = _intrinsic(value)
        if intrinsic is not None:
            name, argument = intrinsic
            return _resolve_intrinsic(name, argument, known, scope, depth + 1)
        resolved = {
            key: resolve(item, known, scope, depth + 1) for key, item in value.items() if not is_noise_key(key)
        }
        return {key: item for key, item in resolved.items() if item is not _NO_VALUE}
    if isinstance(value, (list, tuple)):
        items = [resolve(item, known, scope, depth + 1) for item in value]
        return [item for item in items if item is not _NO_VALUE]
    return value


def substitute_mappings(value: Any, mappings: Mapping[str, Any], depth: int = 0) -> Any:
    """`value` with every `Fn::FindInMap` whose three keys are literal replaced by what the template's
    `Mappings` hold there. Mappings hold only literals, so this is the template's own answer, not a guess about
    a deployment. Any other lookup stays as written, for `resolve` to mark unknown. Returns `value` itself
    when nothing changes."""
    if depth > MAX_DEPTH:
        return value  # resolve refuses it with its ShapeError
    if isinstance(value, dict):
        changed = {key: substitute_mappings(item, mappings, depth + 1) for key, item in value.items()}
        intrinsic = _intrinsic(changed)
        if intrinsic is not None and intrinsic[0] == "Fn::FindInMap":
            found = _look_up(mappings, intrinsic[1])
            if found is not _NOT_FOUND:
                return found
        return changed if any(changed[key] is not value[key] for key in value) else value
    if isinstance(value, list):
        items = [substitute_mappings(item, mappings, depth + 1) for item in value]
        return items if any(new is not old for new, old in zip(items, value)) else value
    return value


_NOT_FOUND = object()


def _look_up(mappings: Mapping[str, Any], keys: Any) -> Any:
    if not (isinstance(keys, list) and len(keys) == 3 and all(isinstance(key, str) for key in keys)):
        return _NOT_FOUND
    found: Any = mappings
    for key in keys:
        if not isinstance(found, dict) or key not in found:
            return _NOT_FOUND
        found = found[key]
    return found


def _intrinsic(value: dict) -> tuple[str, Any] | None:
    # JSON templates annotate intrinsics with __file__/__startline__, so test the keys, not the length.
    keys = [key for key in value if not is_noise_key(key)]
    if len(keys) == 1 and isinstance(keys[0], str) and (keys[0] == "Ref" or keys[0].startswith("Fn::")):
        return keys[0], value[keys[0]]
    return None


def _resolve_intrinsic(name: str, argument: Any, known: Mapping[str, Any], scope: str, depth: int) -> Any:
    if name == "Ref":
        if argument == "AWS::NoValue":
            return _NO_VALUE
        return _named(str(argument), f"Ref {argument}", known, scope)
    if name == "Fn::GetAtt":
        attribute = ".".join(str(part) for part in argument) if isinstance(argument, list) else str(argument)
        return _named(attribute, f"Fn::GetAtt {attribute}", known, scope)
    if name == "Fn::Sub":
        return _resolve_sub(argument, known, scope, depth)
    if name == "Fn::Join":
        return _resolve_join(argument, known, scope, depth)
    # These return a string, though not one a template alone can tell; Fn::If may return anything.
    pattern = "*" if name in _STRING_INTRINSICS else None
    return UnknownValue(f"{name} {_describe(argument)}", pattern=pattern)


def _named(name: str, reason: str, known: Mapping[str, Any], scope: str) -> Any:
    """What `Ref name` (or `${name}` in Fn::Sub) stands for."""
    if name in known:
        return known[name]
    if name in _CONSTANTS:
        return _CONSTANTS[name]
    return partly_known(placeholder(f"{scope}|{name}", segment=name in _SEGMENTS), reason)


def _resolve_sub(argument: Any, known: Mapping[str, Any], scope: str, depth: int) -> Any:
    template, variables = argument, {}
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
        template, variables = argument[0], resolve(argument[1], known, scope, depth)
    if not isinstance(template, str):
        return UnknownValue(f"Fn::Sub {_describe(argument)}")

    def value_of(variable: re.Match) -> str:
        name = variable.group(1)
        value = variables[name] if name in variables else _named(name, f"${{{name}}}", known, scope)
        return symbolic_text(value) or ANONYMOUS

    return partly_known(_SUB_VARIABLE.sub(value_of, template).replace("${!", "${"), f"Fn::Sub {template!r}")


def _resolve_join(argument: Any, known: Mapping[str, Any], scope: str, depth: int) -> Any:
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
        return UnknownValue(f"Fn::Join {_describe(argument)}")
    parts = resolve(argument[1], known, scope, depth)
    if not isinstance(parts, list):
        return UnknownValue(f"Fn::Join {_describe(argument)}")
    texts = [symbolic_text(part) for part in parts]
    if any(text is None for text in texts):
        return UnknownValue(f"Fn::Join {_describe(argument)}")
    return partly_known(argument[0].join(texts), f"Fn::Join {_describe(argument)}")


def _describe(argument: Any) -> str:
    return _SHORT.repr(without_noise(argument))


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 60, 60
