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
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from .model import Condition
from .values import (
    ANONYMOUS,
    PLACEHOLDER_CHARACTERS,
    SEGMENT_SEPARATORS,
    ForeignAddress,
    Tristate,
    UnknownValue,
    all_of,
    any_of,
    is_segment,
    negate,
    symbolic_text,
)

_Relation = Callable[[object, object], Tristate]

_ANY_VALUE = "ForAnyValue:"
_ALL_VALUES = "ForAllValues:"
_IF_EXISTS = "IfExists"

# "${*}", "${?}" and "${$}" stand for the literal characters; any other "${...}" is a policy variable.
_POLICY_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_IS_PLACEHOLDER = re.compile(PLACEHOLDER_CHARACTERS)
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
    if isinstance(request_value, UnknownValue) and symbolic_text(request_value) is None:
        # Not even known to be present: decided only when the absent and the present cases agree.
        absent = _absent_outcome(qualifier, if_exists, negated)
        present = _present_outcome(relation, negated, qualifier, condition.values, (request_value,))
        return absent if present is absent else Tristate.UNKNOWN
    request_values = tuple(request_value) if isinstance(request_value, (list, tuple)) else (request_value,)
    return _present_outcome(relation, negated, qualifier, condition.values, request_values)


def _absent_outcome(qualifier: str, if_exists: bool, negated: bool) -> Tristate:
    if if_exists or qualifier == _ALL_VALUES:
        return Tristate.TRUE
    if qualifier == _ANY_VALUE:
        return Tristate.FALSE
    return Tristate.of(negated)


def _present_outcome(
    relation: _Relation, negated: bool, qualifier: str, policy_values: tuple, request_values: tuple
) -> Tristate:
    def matches(value: object) -> Tristate:
        outcome = any_of(relation(value, policy_value) for policy_value in policy_values)
        return negate(outcome) if negated else outcome

    if qualifier == _ALL_VALUES:
        return all_of(matches(value) for value in request_values)
    if qualifier == _ANY_VALUE:
        return any_of(matches(value) for value in request_values)
    if len(request_values) > 1:
        return Tristate.UNKNOWN  # AWS does not document a single-valued operator against several request values
    return matches(request_values[0])


def text_matches(policy_value: object, request_value: object, wildcards: bool, ignore_case: bool = False) -> Tristate:
    """Whether a request value equals a policy value, or matches it as a `*`/`?` pattern when `wildcards`.

    Either may be partly unknown: a policy variable, an UnknownValue with a pattern or with placeholders.
    TRUE when every value the unknown parts may take matches, FALSE when none does, else UNKNOWN.
    """
    policy_text, request_text = symbolic_text(policy_value), symbolic_text(request_value)
    if policy_text is None or request_text is None:
        return Tristate.UNKNOWN
    return _texts_match(policy_text, request_text, wildcards, ignore_case)


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
    def holds(absent: bool) -> Tristate:
        def matches(policy_value: object) -> Tristate:
            if isinstance(policy_value, UnknownValue):
                return Tristate.UNKNOWN
            wants_absent = _as_bool(policy_value)
            return Tristate.FALSE if wants_absent is None else Tristate.of(wants_absent == absent)

        return any_of(matches(value) for value in policy_values)

    if isinstance(request_value, UnknownValue):
        # An unresolved request value may stand for an absent key: decided only when both cases agree.
        when_absent, when_present = holds(True), holds(False)
        return when_absent if when_absent is when_present else Tristate.UNKNOWN
    return holds(request_value is None or request_value == [] or request_value == ())


def _as_bool(value: object) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


# Pattern tokens: a literal character, any one character, any text (a `*`, or an unknown part of no known
# identity), a placeholder (an unknown part that equals itself wherever it appears), and any text without
# a separator (what a segment placeholder may stand for).
_LITERAL, _ONE, _ANY, _HOLE, _SEGMENT = "literal", "one", "any", "hole", "segment"
_Token = Tuple[str, str]


@lru_cache(maxsize=65536)
def _texts_match(policy_text: str, request_text: str, wildcards: bool, ignore_case: bool) -> Tristate:
    pattern = _policy_tokens(policy_text, wildcards)
    text = _request_tokens(request_text)
    # An unknown part of the pattern with no identity (a policy variable) can never be relied on to match.
    anonymous_in_pattern = any(kind == _ANY and not char for kind, char in pattern)
    if not anonymous_in_pattern and _policy_regex(policy_text, wildcards, ignore_case).fullmatch(request_text):
        return Tristate.TRUE
    if not anonymous_in_pattern and all(kind != _HOLE for kind, _ in pattern) and all(k == _LITERAL for k, _ in text):
        return Tristate.FALSE  # nothing unknown on either side: the regex decided
    return Tristate.UNKNOWN if _can_match(pattern, text, ignore_case) else Tristate.FALSE


# A policy's pattern and a request's text each meet many others: tokenised and compiled once each.
@lru_cache(maxsize=4096)
def _policy_tokens(text: str, wildcards: bool) -> Tuple[_Token, ...]:
    tokens: List[_Token] = []
    position = 0
    for variable in _POLICY_VARIABLE.finditer(text):
        tokens.extend(_character_tokens(text[position : variable.start()], wildcards))
        inner = variable.group(1)
        # A policy variable is unknown text of no known identity; "${*}" and the like are literal characters.
        tokens.append((_LITERAL, inner) if inner in _ESCAPED_CHARACTERS else (_ANY, ""))
        position = variable.end()
    tokens.extend(_character_tokens(text[position:], wildcards))
    return tuple(tokens)


@lru_cache(maxsize=4096)
def _request_tokens(text: str) -> Tuple[_Token, ...]:
    return tuple(_character_tokens(text, wildcards=False))


def _character_tokens(text: str, wildcards: bool) -> List[_Token]:
    return [_character_token(char, wildcards) for char in text]


# Cached so that every text's tokens share one tuple per character instead of holding their own.
@lru_cache(maxsize=4096)
def _character_token(char: str, wildcards: bool) -> _Token:
    if char == ANONYMOUS:
        return _ANY, ""
    if _IS_PLACEHOLDER.match(char):
        return _HOLE, char
    if wildcards and char == "*":
        return _ANY, "*"
    if wildcards and char == "?":
        return _ONE, ""
    return _LITERAL, char


@lru_cache(maxsize=4096)
def _policy_regex(policy_text: str, wildcards: bool, ignore_case: bool) -> re.Pattern:
    """A pattern that matches only where the match holds whatever the request's placeholders stand for: one
    matches only the same placeholder or inside a `*`, and never `?` (it may stand for text of any length)."""
    parts = {_ANY: ".*", _ONE: f"(?!{PLACEHOLDER_CHARACTERS})."}
    regex = "".join(parts.get(kind) or re.escape(char) for kind, char in _policy_tokens(policy_text, wildcards))
    return re.compile(regex, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _can_match(pattern: Tuple[_Token, ...], text: Tuple[_Token, ...], ignore_case: bool) -> bool:
    """Whether some values of the unknown parts make `text` match `pattern`: the two patterns, with every
    unknown part read as `*`, share a string (a search over pairs of positions)."""

    def relaxed(tokens: Tuple[_Token, ...]) -> List[_Token]:
        return [
            ((_SEGMENT if is_segment(char) else _ANY), "") if kind == _HOLE
            else (kind, char.lower() if ignore_case and kind == _LITERAL else char)
            for kind, char in tokens
        ]

    left, right = relaxed(pattern), relaxed(text)
    if _literal_ends_differ(left, right):
        return False
    seen = {(0, 0)}
    pending = [(0, 0)]
    while pending:
        i, j = pending.pop()
        if i == len(left) and j == len(right):
            return True
        steps = []
        if i < len(left) and left[i][0] in _ANY_LENGTH:
            steps.append((i + 1, j))
        if j < len(right) and right[j][0] in _ANY_LENGTH:
            steps.append((i, j + 1))
        if i < len(left) and j < len(right) and _share_a_character(left[i], right[j]):
            steps.append((i if left[i][0] in _ANY_LENGTH else i + 1, j if right[j][0] in _ANY_LENGTH else j + 1))
        for step in steps:
            if step not in seen:
                seen.add(step)
                pending.append(step)
    return False


_ANY_LENGTH = (_ANY, _SEGMENT)


def _literal_ends_differ(left: List[_Token], right: List[_Token]) -> bool:
    """Both sides match from their first character to their last: where both begin (or end) with literal
    characters, those must agree. Most texts that cannot match (two buckets' ARNs) differ there, which spares
    the search."""
    for ends in (zip(left, right), zip(reversed(left), reversed(right))):
        for (left_kind, left_char), (right_kind, right_char) in ends:
            if left_kind != _LITERAL or right_kind != _LITERAL:
                break
            if left_char != right_char:
                return True
    return False


def _share_a_character(left: _Token, right: _Token) -> bool:
    (left_kind, left_char), (right_kind, right_char) = left, right
    if left_kind == right_kind == _LITERAL:
        return left_char == right_char
    if _SEGMENT in (left_kind, right_kind) and _LITERAL in (left_kind, right_kind):
        return (left_char or right_char) not in SEGMENT_SEPARATORS
    return True


def _string_relation(wildcards: bool, ignore_case: bool) -> _Relation:
    def relation(request_value: object, policy_value: object) -> Tristate:
        return text_matches(policy_value, request_value, wildcards, ignore_case)

    return relation


# A value that does not parse as the operator's type (a number, a date, an address) matches nothing,
# as AWS treats it, whatever the other value is; only an UnknownValue, whose real value might parse,
# makes the outcome UNKNOWN.
def _unknown_unless_unparsable(
    request_value: object,
    policy_value: object,
    parse_request: Callable[[object], object],
    parse_policy: Callable[[object], object],
) -> Tristate:
    if not isinstance(request_value, UnknownValue) and parse_request(request_value) is None:
        return Tristate.FALSE
    if not isinstance(policy_value, UnknownValue) and parse_policy(policy_value) is None:
        return Tristate.FALSE
    return Tristate.UNKNOWN


def _typed_relation(parse: Callable[[object], object], compare: Callable[[object, object], bool]) -> _Relation:
    def relation(request_value: object, policy_value: object) -> Tristate:
        if isinstance(request_value, UnknownValue) or isinstance(policy_value, UnknownValue):
            return _unknown_unless_unparsable(request_value, policy_value, parse, parse)
        request_parsed, policy_parsed = parse(request_value), parse(policy_value)
        if request_parsed is None or policy_parsed is None:
            return Tristate.FALSE
        return Tristate.of(compare(request_parsed, policy_parsed))

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
    if isinstance(request_value, ForeignAddress):
        return _foreign_address_in_network(policy_value)
    if isinstance(request_value, UnknownValue) or isinstance(policy_value, UnknownValue):
        return _unknown_unless_unparsable(request_value, policy_value, _as_address, _as_network)
    address, network = _as_address(request_value), _as_network(policy_value)
    if address is None or network is None:
        return Tristate.FALSE
    return Tristate.of(address in network)


def _foreign_address_in_network(policy_value: object) -> Tristate:
    """Only the whole IPv4 space holds such an address; a range the scan cannot resolve is the customer's own."""
    network = None if isinstance(policy_value, UnknownValue) else _as_network(policy_value)
    if network is None or network.prefixlen != 0:
        return Tristate.FALSE
    return Tristate.TRUE if network.version == 4 else Tristate.UNKNOWN


def _arn_like(request_value: object, policy_value: object) -> Tristate:
    """Each of the six colon-separated ARN parts is matched on its own, with wildcards.

    A policy value that is not a six-part ARN is left UNKNOWN: AWS does not document how it compares.
    """
    policy_text, request_text = symbolic_text(policy_value), symbolic_text(request_value)
    if request_text is None:
        return Tristate.UNKNOWN
    request_parts = request_text.split(":", 5)
    if len(request_parts) != 6 and not _IS_PLACEHOLDER.search(request_text):
        return Tristate.FALSE  # a request value that is no ARN matches no ARN, whatever the policy says
    pattern_parts = _split_arn_pattern(policy_text) if policy_text is not None else None
    if pattern_parts is None or len(request_parts) != 6:
        # An unknown part of the request might hold the missing colons.
        return Tristate.UNKNOWN
    return all_of(
        _texts_match(pattern, part, wildcards=True, ignore_case=False)
        for pattern, part in zip(pattern_parts, request_parts)
    )


def _split_arn_pattern(pattern: str) -> Optional[list]:
    # A colon inside a policy variable such as ${aws:username} does not separate ARN parts.
    variables = [variable.span() for variable in _POLICY_VARIABLE.finditer(pattern)]
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
