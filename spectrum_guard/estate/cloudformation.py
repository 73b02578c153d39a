"""CloudFormation intrinsic functions, resolved as far as a template alone allows.

Checkov's rendered vertex attributes pick one branch of Fn::If and substitute parameter defaults;
both are guesses about a deployment. This module reads the raw properties instead and marks anything
that depends on the deployment as UnknownValue. `specialise` first fixes the choices of one deployment
(see scenarios.py): the branch of each Fn::If and the entries of Fn::FindInMap.
"""
from __future__ import annotations

import re
import reprlib
from types import MappingProxyType
from typing import Any, Callable, Iterable, List, Mapping, Optional, Tuple

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


def _intrinsic(value: dict) -> tuple[str, Any] | None:
    # JSON templates annotate intrinsics with __file__/__startline__, so test the keys, not the length.
    name = None
    for key in value:
        if is_noise_key(key):
            continue
        if name is not None:
            return None
        name = key
    if isinstance(name, str) and (name == "Ref" or name.startswith("Fn::")):
        return name, value[name]
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
    if name == "Fn::Select":
        selected = _select(argument, known, scope, depth)
        if selected is not _UNSELECTED:
            return selected
    if name == "Fn::Split":
        return _resolve_split(argument, known, scope, depth)
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


_UNSELECTED = object()
_UNCHANGED = object()


def _select(argument: Any, known: Mapping[str, Any], scope: str, depth: int) -> Any:
    """The element Fn::Select picks from a list the template spells out; _UNSELECTED when it cannot tell."""
    if not (isinstance(argument, list) and len(argument) == 2):
        return _UNSELECTED
    index = resolve(argument[0], known, scope, depth)
    items = resolve(argument[1], known, scope, depth)
    if isinstance(index, str) and index.isdigit():
        index = int(index)
    if isinstance(index, int) and not isinstance(index, bool) and isinstance(items, list) and 0 <= index < len(items):
        return items[index]
    return _UNSELECTED


def _resolve_split(argument: Any, known: Mapping[str, Any], scope: str, depth: int) -> Any:
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str) and argument[0]:
        text = resolve(argument[1], known, scope, depth)
        if isinstance(text, str):
            return text.split(argument[0])
    return UnknownValue(f"Fn::Split {_describe(argument)}")


def specialise(
    value: Any, choose: Callable[[str], Optional[bool]], mappings: Mapping[str, Any], depth: int = 0
) -> Any:
    """`value` as one deployment sees it: each Fn::If whose condition `choose` decides becomes its branch, each
    Fn::FindInMap with literal keys the entry it names, and AWS::NoValue leaves its list or dict, as in
    CloudFormation. What stays undecided is left for `resolve`; so is nesting beyond MAX_DEPTH."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, dict):
        intrinsic = _intrinsic(value)
        if intrinsic is not None:
            chosen = _chosen(*intrinsic, choose, mappings, depth)
            if chosen is not _UNCHANGED:
                return specialise(chosen, choose, mappings, depth + 1)
        specialised = {key: specialise(item, choose, mappings, depth + 1) for key, item in value.items()}
        kept = {key: item for key, item in specialised.items() if not _is_no_value(item)}
        return value if _same_items(kept.values(), value.values()) else kept
    if isinstance(value, list):
        items = [specialise(item, choose, mappings, depth + 1) for item in value]
        kept_items = [item for item in items if not _is_no_value(item)]
        return value if _same_items(kept_items, value) else kept_items
    return value


def specialised_intrinsics(value: Any, found: List[Tuple[str, Any]], depth: int = 0) -> None:
    """Adds to `found` each intrinsic in `value` that `specialise` acts on (Fn::If, Fn::FindInMap,
    AWS::NoValue), with its argument: a value without any is the same in every deployment.

    This walks every resource of the scan, so it reads dicts with the operators Checkov's DictNode leaves to
    dict (its `get` is a Python call) and does not call itself for scalars, most of what it visits."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        if "Fn::If" in value or "Fn::FindInMap" in value or ("Ref" in value and value["Ref"] == "AWS::NoValue"):
            intrinsic = _intrinsic(value)
            if intrinsic is not None:
                found.append(intrinsic)
        items: Iterable[Any] = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return
    for item in items:
        if isinstance(item, (dict, list)):
            specialised_intrinsics(item, found, depth + 1)


def _same_items(items: Iterable[Any], originals: Iterable[Any]) -> bool:
    """Whether specialising left every item as it was: then the original container is returned, unchanged."""
    originals = list(originals)
    items = list(items)
    return len(items) == len(originals) and all(item is original for item, original in zip(items, originals))


def _chosen(
    name: str, argument: Any, choose: Callable[[str], Optional[bool]], mappings: Mapping[str, Any], depth: int
) -> Any:
    """What the intrinsic stands for in the deployment, or `_UNCHANGED`."""
    if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str):
        decided = choose(argument[0])
        if decided is not None:
            return argument[1] if decided else argument[2]
    if name == "Fn::FindInMap" and isinstance(argument, list) and len(argument) == 3:
        keys = [specialise(key, choose, mappings, depth + 1) for key in argument]
        if all(isinstance(key, str) for key in keys):
            mapping = mappings.get(keys[0])
            entry = mapping.get(keys[1]) if isinstance(mapping, dict) else None
            if isinstance(entry, dict) and keys[2] in entry:
                return entry[keys[2]]
    return _UNCHANGED


def _is_no_value(value: Any) -> bool:
    return isinstance(value, dict) and _intrinsic(value) == ("Ref", "AWS::NoValue")


def _describe(argument: Any) -> str:
    return _SHORT.repr(without_noise(argument))


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 60, 60
