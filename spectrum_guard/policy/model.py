"""Normalise an IAM policy document (identity, resource, trust or organisation policy) into plain records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from spectrum_guard.describe import describe as _describe

from .values import UnknownValue

_POLICY_ELEMENTS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_ELEMENTS = frozenset(
    {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
_PRINCIPAL_KINDS = ("AWS", "Service", "Federated", "CanonicalUser")
_NAME_TYPES = (str, UnknownValue)
_CONDITION_VALUE_TYPES = (str, UnknownValue, bool, int, float)


class PolicyError(ValueError):
    """The document is not a policy (wrong shape). Message says what is wrong."""


@dataclass(frozen=True)
class Principal:
    kind: str  # "AWS", "Service", "Federated", "CanonicalUser", or "*" for the bare "Principal": "*"
    value: Union[str, UnknownValue]


@dataclass(frozen=True)
class Condition:
    operator: str  # exactly as written: operator names are case-sensitive
    key: str  # lower-cased: condition key names are case-insensitive
    values: tuple


@dataclass(frozen=True)
class Statement:
    index: int
    sid: Optional[str]
    effect: str
    actions: Optional[tuple]
    not_actions: Optional[tuple]
    resources: Optional[tuple]
    not_resources: Optional[tuple]
    principals: Optional[Tuple[Principal, ...]]
    not_principals: Optional[Tuple[Principal, ...]]
    conditions: Tuple[Condition, ...]

    @property
    def label(self) -> str:
        return self.sid if self.sid else f"statement #{self.index}"


@dataclass(frozen=True)
class PolicyDocument:
    statements: Tuple[Statement, ...]


def parse_policy(document: object) -> PolicyDocument:
    """Normalise a decoded policy (or its JSON text); raise PolicyError when it is not shaped like a policy."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except (ValueError, RecursionError) as error:
            raise PolicyError(f"the policy is not valid JSON ({type(error).__name__})") from None
    if isinstance(document, UnknownValue):
        raise PolicyError(f"the policy document is unknown ({document.reason})")
    if not isinstance(document, dict):
        raise PolicyError(f"a policy must be a JSON object, not {_describe(document)}")
    elements = _without_noise(document)
    _reject_unexpected(elements, _POLICY_ELEMENTS, "the policy")
    if "Statement" not in elements:
        raise PolicyError("the policy has no Statement element")
    raw_statements = elements["Statement"]
    if isinstance(raw_statements, UnknownValue):
        raise PolicyError(f"the policy's Statement element is unknown ({raw_statements.reason})")
    if isinstance(raw_statements, dict):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, (list, tuple)):
        raise PolicyError(f"Statement must be an object or a list, not {_describe(raw_statements)}")
    return PolicyDocument(tuple(_parse_statement(index, raw) for index, raw in enumerate(raw_statements)))


def _parse_statement(index: int, raw: object) -> Statement:
    where = f"statement #{index}"
    if isinstance(raw, UnknownValue):
        raise PolicyError(f"{where} is unknown ({raw.reason})")
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} must be an object, not {_describe(raw)}")
    elements = _without_noise(raw)
    _reject_unexpected(elements, _STATEMENT_ELEMENTS, where)

    effect = elements.get("Effect")
    if isinstance(effect, UnknownValue):
        raise PolicyError(f"{where}: Effect is unknown ({effect.reason})")
    if not (isinstance(effect, str) and effect in ("Allow", "Deny")):
        raise PolicyError(f'{where}: Effect must be "Allow" or "Deny", not {_describe(effect)}')

    sid = elements.get("Sid")
    if isinstance(sid, UnknownValue):
        sid = None  # an unresolved Sid only names the statement; its position names it as well
    elif sid is not None and not isinstance(sid, str):
        raise PolicyError(f"{where}: Sid must be a string, not {_describe(sid)}")

    actions, not_actions = _exclusive_pair(elements, "Action", where, required=True)
    resources, not_resources = _exclusive_pair(elements, "Resource", where, required=False)
    if "Principal" in elements and "NotPrincipal" in elements:
        raise PolicyError(f"{where} has both Principal and NotPrincipal")
    principals = _parse_principals(elements["Principal"], where) if "Principal" in elements else None
    not_principals = _parse_principals(elements["NotPrincipal"], where) if "NotPrincipal" in elements else None
    conditions = _parse_conditions(elements["Condition"], where) if "Condition" in elements else ()

    return Statement(
        index=index,
        sid=sid,
        effect=effect,
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        principals=principals,
        not_principals=not_principals,
        conditions=conditions,
    )


def _exclusive_pair(elements: dict, name: str, where: str, required: bool) -> Tuple[Optional[tuple], Optional[tuple]]:
    negated_name = f"Not{name}"
    if name in elements and negated_name in elements:
        raise PolicyError(f"{where} has both {name} and {negated_name}")
    if required and name not in elements and negated_name not in elements:
        raise PolicyError(f"{where} has neither {name} nor {negated_name}")
    positive = _as_tuple(elements[name], _NAME_TYPES, f"{where}: {name}") if name in elements else None
    negative = (
        _as_tuple(elements[negated_name], _NAME_TYPES, f"{where}: {negated_name}") if negated_name in elements else None
    )
    return positive, negative


def _parse_principals(raw: object, where: str) -> Tuple[Principal, ...]:
    if raw == "*":
        return (Principal("*", "*"),)
    if isinstance(raw, UnknownValue):
        # The kind is unknown too; its text never equals a real kind, so matching it stays UNKNOWN.
        return (Principal(str(raw), raw),)
    if not isinstance(raw, dict):
        raise PolicyError(f'{where}: a principal must be "*" or an object, not {_describe(raw)}')
    principals = []
    for kind, identifiers in _without_noise(raw).items():
        if kind not in _PRINCIPAL_KINDS:
            raise PolicyError(f"{where}: unknown principal type {_describe(kind)}")
        principals.extend(Principal(kind, value) for value in _as_tuple(identifiers, _NAME_TYPES, f"{where}: {kind}"))
    return tuple(principals)


def _parse_conditions(raw: object, where: str) -> Tuple[Condition, ...]:
    if isinstance(raw, UnknownValue):
        return (_unknown_condition(raw),)
    if not isinstance(raw, dict):
        raise PolicyError(f"{where}: Condition must be an object, not {_describe(raw)}")
    conditions = []
    for operator, block in _without_noise(raw).items():
        if not isinstance(operator, str):
            raise PolicyError(f"{where}: condition operator {_describe(operator)} is not a string")
        if isinstance(block, UnknownValue):
            # Without the key the operator cannot be applied (a missing key flips negated operators),
            # so the whole condition is recorded as unknown.
            conditions.append(_unknown_condition(block))
            continue
        if not isinstance(block, dict):
            raise PolicyError(f"{where}: condition operator {operator} must map keys to values, not {_describe(block)}")
        for key, values in _without_noise(block).items():
            if not isinstance(key, str):
                raise PolicyError(f"{where}: condition key {_describe(key)} is not a string")
            values = _as_tuple(values, _CONDITION_VALUE_TYPES, f"{where}: {operator} {key}")
            conditions.append(Condition(operator, key.lower(), values))
    return tuple(conditions)


def _unknown_condition(unknown: UnknownValue) -> Condition:
    # The text of an unknown never names a real operator, so evaluating this condition gives UNKNOWN.
    return Condition(str(unknown), str(unknown).lower(), (unknown,))


def _as_tuple(raw: object, allowed: tuple, where: str) -> tuple:
    if isinstance(raw, allowed):
        return (raw,)
    if not isinstance(raw, (list, tuple)):
        raise PolicyError(f"{where} must be a value or a list of values, not {_describe(raw)}")
    for item in raw:
        if not isinstance(item, allowed):
            raise PolicyError(f"{where} lists {_describe(item)}, which is not a plain value")
    return tuple(raw)


def _without_noise(raw: dict) -> dict:
    # Checkov adds __startline__, __endline__ and similar bookkeeping keys to parsed blocks.
    return {key: value for key, value in raw.items() if not (isinstance(key, str) and key.startswith("__"))}


def _reject_unexpected(elements: dict, expected: frozenset, where: str) -> None:
    unexpected = [str(name) for name in elements if name not in expected]
    if unexpected:
        raise PolicyError(f"{where} has unexpected element(s): {', '.join(sorted(unexpected))}")
