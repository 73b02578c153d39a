"""IAM condition operators as pure functions of a condition and a request context.

Semantics follow the IAM user guide ("IAM JSON policy elements: Condition operators" and
"Single-valued vs. multivalued context keys"); anything the scan cannot resolve yields Tristate.UNKNOWN
unless the outcome is decided regardless.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import math
import operator
import re
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Callable, Dict, Mapping, Optional, Tuple

from .model import Condition
from .values import Tristate, UnknownValue, all_of, any_of, negate

_Relation = Callable[[object, object], Tristate]

_ANY_VALUE = "ForAnyValue:"
_ALL_VALUES = "ForAllValues:"
_IF_EXISTS = "IfExists"

# "${*}", "${?}" and "${$}" stand for the literal characters; any other "${...}" is a policy variable.
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_ESCAPED_CHARACTERS = ("*", "?", "$")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def evaluate_condition(condition: Condition, context: Mapping[str, object]) -> Tristate:
    """Whether one condition (one operator, one key, its values) holds for a request context.

    `context` maps lower-cased keys to a value, a list of values (multivalued key) or an UnknownValue;
    a key absent from it, or mapped to None or an empty list, is absent from the request.
    """
    qualifier, base, if_exists = _split_operator(condition.operator)
    if base == "Null" and not qualifier and not if_exists:
        return _evaluate_null(condition.values, context.get(condition.key))
    if base not in _OPERATORS:
        return Tristate.UNKNOWN
    relation, negated = _OPERATORS[base]

    request_value = context.get(condition.key)
    if request_value is None or request_value == [] or request_value == ():
        return _absent_outcome(qualifier, if_exists, negated)
    if isinstance(request_value, UnknownValue):
        # The key may be absent or hold any value: decided only when both cases agree (they do when, say,
        # no policy value parses as the operator's type).
        present = _present_outcome(condition, relation, negated, qualifier, (request_value,))
        absent = _absent_outcome(qualifier, if_exists, negated)
        return present if present is absent else Tristate.UNKNOWN
    request_values = tuple(request_value) if isinstance(request_value, (list, tuple)) else (request_value,)
    return _present_outcome(condition, relation, negated, qualifier, request_values)


def _absent_outcome(qualifier: str, if_exists: bool, negated: bool) -> Tristate:
    if if_exists or qualifier == _ALL_VALUES:
        return Tristate.TRUE
    if qualifier == _ANY_VALUE:
        return Tristate.FALSE
    return Tristate.of(negated)


def _present_outcome(
    condition: Condition, relation: _Relation, negated: bool, qualifier: str, request_values: tuple
) -> Tristate:
    def matches(value: object) -> Tristate:
        outcome = any_of(_compare(relation, value, policy_value) for policy_value in condition.values)
        return negate(outcome) if negated else outcome

    if qualifier == _ALL_VALUES:
        return all_of(matches(value) for value in request_values)
    if qualifier == _ANY_VALUE:
        return any_of(matches(value) for value in request_values)
    if len(request_values) > 1:
        return Tristate.UNKNOWN  # AWS does not document a single-valued operator against several request values
    return matches(request_values[0])


def wildcard_match(pattern: str, text: str, ignore_case: bool = False) -> Tristate:
    """`*` and `?` wildcard match of a whole string; a policy variable in the pattern may match anything.

    A pattern with policy variables cannot match when it fails even with every variable as `*`;
    otherwise the outcome depends on the variables' values and is UNKNOWN.
    """
    return _policy_string_match(pattern, text, wildcards=True, ignore_case=ignore_case)


def _split_operator(name: str) -> Tuple[str, str, bool]:
    qualifier = ""
    for prefix in (_ANY_VALUE, _ALL_VALUES):
        if name.startswith(prefix):
            qualifier, name = prefix, name[len(prefix) :]
            break
    if name.endswith(_IF_EXISTS) and name != _IF_EXISTS:
        return qualifier, name[: -len(_IF_EXISTS)], True
    return qualifier, name, False


def _evaluate_null(policy_values: tuple, request_value: object) -> Tristate:
    if isinstance(request_value, UnknownValue):
        # An unresolved request value may stand for an absent key: decided only when both cases agree
        # (they do for `"Null": {"k": ["true", "false"]}`).
        when_absent, when_present = _evaluate_null(policy_values, None), _evaluate_null(policy_values, "present")
        return when_absent if when_absent is when_present else Tristate.UNKNOWN
    absent = request_value is None or request_value == [] or request_value == ()

    def matches(policy_value: object) -> Tristate:
        if isinstance(policy_value, UnknownValue):
            return Tristate.UNKNOWN
        wants_absent = _as_bool(policy_value)
        return Tristate.FALSE if wants_absent is None else Tristate.of(wants_absent == absent)

    return any_of(matches(value) for value in policy_values)


def _compare(relation: _Relation, request_value: object, policy_value: object) -> Tristate:
    request_unknown, policy_unknown = isinstance(request_value, UnknownValue), isinstance(policy_value, UnknownValue)
    if not (request_unknown or policy_unknown):
        return relation(request_value, policy_value)
    # A known value that does not parse as the operator's type matches nothing, whatever the unknown one is.
    parse_request, parse_policy = getattr(relation, "parsers", (None, None))
    if not request_unknown and parse_request is not None and parse_request(request_value) is None:
        return Tristate.FALSE
    if not policy_unknown and parse_policy is not None and parse_policy(policy_value) is None:
        return Tristate.FALSE
    return Tristate.UNKNOWN


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _as_bool(value: object) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


@lru_cache(maxsize=4096)
def _compile(pattern: str, wildcards: bool, ignore_case: bool) -> Tuple["re.Pattern[str]", bool]:
    """A regex for a policy string, and whether it holds policy variables (each compiled as `.*`)."""
    parts = []
    has_variable = False
    position = 0
    for placeholder in _PLACEHOLDER.finditer(pattern):
        parts.append(_literal_regex(pattern[position : placeholder.start()], wildcards))
        inner = placeholder.group(1)
        if inner in _ESCAPED_CHARACTERS:
            parts.append(re.escape(inner))
        else:
            parts.append(".*")
            has_variable = True
        position = placeholder.end()
    parts.append(_literal_regex(pattern[position:], wildcards))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(parts), flags), has_variable


def _literal_regex(text: str, wildcards: bool) -> str:
    if not wildcards:
        return re.escape(text)
    return "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in text)


def _policy_string_match(pattern: str, text: str, wildcards: bool, ignore_case: bool) -> Tristate:
    regex, has_variable = _compile(pattern, wildcards, ignore_case)
    if regex.fullmatch(text) is None:
        return Tristate.FALSE
    return Tristate.UNKNOWN if has_variable else Tristate.TRUE


def _string_relation(wildcards: bool, ignore_case: bool) -> _Relation:
    def relation(request_value: object, policy_value: object) -> Tristate:
        return _policy_string_match(_as_text(policy_value), _as_text(request_value), wildcards, ignore_case)

    return relation


# A value that does not parse as the operator's type (a number, a date, an address) matches nothing,
# as AWS treats it; only an UnknownValue, whose real value might parse, makes the outcome UNKNOWN.
def _typed_relation(parse: Callable[[object], object], compare: Callable[[object, object], bool]) -> _Relation:
    def relation(request_value: object, policy_value: object) -> Tristate:
        request_parsed, policy_parsed = parse(request_value), parse(policy_value)
        if request_parsed is None or policy_parsed is None:
            return Tristate.FALSE
        return Tristate.of(compare(request_parsed, policy_parsed))

    relation.parsers = (parse, parse)  # type: ignore[attr-defined]
    return relation


def _as_number(value: object) -> Optional[Decimal]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return Decimal(str(value))
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


def _as_epoch_seconds(value: object) -> Optional[Decimal]:
    """Dates are ISO 8601 (date, or date and time; no zone means UTC) or epoch seconds."""
    number = _as_number(value)
    if number is not None or not isinstance(value, str):
        return number
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return Decimal(str(moment.timestamp()))


def _as_bytes(value: object) -> Optional[bytes]:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _as_address(value: object) -> Optional[object]:
    try:
        return ipaddress.ip_address(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def _as_network(value: object) -> Optional[object]:
    try:
        return ipaddress.ip_network(value.strip(), strict=False) if isinstance(value, str) else None
    except ValueError:
        return None


def _in_network(request_value: object, policy_value: object) -> Tristate:
    address, network = _as_address(request_value), _as_network(policy_value)
    if address is None or network is None:
        return Tristate.FALSE
    return Tristate.of(address in network)


_in_network.parsers = (_as_address, _as_network)  # type: ignore[attr-defined]


def _arn_like(request_value: object, policy_value: object) -> Tristate:
    """Each of the six colon-separated ARN parts is matched on its own, with wildcards.

    A policy value that is not a six-part ARN is left UNKNOWN: AWS does not document how it compares.
    """
    pattern_parts = _split_arn_pattern(_as_text(policy_value))
    if pattern_parts is None:
        return Tristate.UNKNOWN
    request_parts = _as_text(request_value).split(":", 5)
    if len(request_parts) != 6:
        return Tristate.FALSE
    return all_of(
        _policy_string_match(pattern, part, wildcards=True, ignore_case=False)
        for pattern, part in zip(pattern_parts, request_parts)
    )


# A request value that is not a six-part ARN matches nothing; a policy value that is not one stays UNKNOWN.
_arn_like.parsers = (  # type: ignore[attr-defined]
    lambda value: True if len(_as_text(value).split(":", 5)) == 6 else None,
    None,
)


def _split_arn_pattern(pattern: str) -> Optional[list]:
    # A colon inside a policy variable such as ${aws:username} does not separate ARN parts.
    variables = [placeholder.span() for placeholder in _PLACEHOLDER.finditer(pattern)]
    separators = [
        index
        for index, char in enumerate(pattern)
        if char == ":" and not any(start <= index < end for start, end in variables)
    ][:5]
    if len(separators) != 5:
        return None
    bounds = [-1, *separators, len(pattern)]
    return [pattern[start + 1 : end] for start, end in zip(bounds, bounds[1:])]


def _numeric(compare: Callable[[object, object], bool]) -> _Relation:
    return _typed_relation(_as_number, compare)


def _date(compare: Callable[[object, object], bool]) -> _Relation:
    return _typed_relation(_as_epoch_seconds, compare)


_string_equals = _string_relation(wildcards=False, ignore_case=False)
_string_equals_ignore_case = _string_relation(wildcards=False, ignore_case=True)
_string_like = _string_relation(wildcards=True, ignore_case=False)
_bool_equals = _typed_relation(_as_bool, operator.eq)
_binary_equals = _typed_relation(_as_bytes, operator.eq)

# Base operator name -> (relation between one request value and one policy value, negated).
# A negated operator holds when its relation holds for none of the policy values.
_OPERATORS: Dict[str, Tuple[_Relation, bool]] = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringEqualsIgnoreCase": (_string_equals_ignore_case, False),
    "StringNotEqualsIgnoreCase": (_string_equals_ignore_case, True),
    "StringLike": (_string_like, False),
    "StringNotLike": (_string_like, True),
    "NumericEquals": (_numeric(operator.eq), False),
    "NumericNotEquals": (_numeric(operator.eq), True),
    "NumericLessThan": (_numeric(operator.lt), False),
    "NumericLessThanEquals": (_numeric(operator.le), False),
    "NumericGreaterThan": (_numeric(operator.gt), False),
    "NumericGreaterThanEquals": (_numeric(operator.ge), False),
    "DateEquals": (_date(operator.eq), False),
    "DateNotEquals": (_date(operator.eq), True),
    "DateLessThan": (_date(operator.lt), False),
    "DateLessThanEquals": (_date(operator.le), False),
    "DateGreaterThan": (_date(operator.gt), False),
    "DateGreaterThanEquals": (_date(operator.ge), False),
    "Bool": (_bool_equals, False),
    "BinaryEquals": (_binary_equals, False),
    "IpAddress": (_in_network, False),
    "NotIpAddress": (_in_network, True),
    # AWS documents ArnEquals and ArnLike (and their negations) as the same comparison.
    "ArnEquals": (_arn_like, False),
    "ArnLike": (_arn_like, False),
    "ArnNotEquals": (_arn_like, True),
    "ArnNotLike": (_arn_like, True),
}
