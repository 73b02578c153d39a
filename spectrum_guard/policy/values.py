"""Values the scan cannot resolve, and the three-valued logic that carries them through."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from enum import Enum
from typing import Dict, Iterable, Optional, Union

# Placeholders are private-use characters, which no policy or resource name contains: plane 15 for any
# text, plane 16 for a segment (text without `:` or `/`, such as an account ID or a bucket name).
_FIRST_PLACEHOLDER = 0xF0000
_FIRST_SEGMENT = 0x100000
_LAST_PLACEHOLDER = 0x10FFFD
# Stands for an unknown part that has no name: it never equals anything, itself included.
ANONYMOUS = chr(_LAST_PLACEHOLDER)
PLACEHOLDER_CHARACTERS = f"[{chr(_FIRST_PLACEHOLDER)}-{chr(_LAST_PLACEHOLDER)}]"
SEGMENT_SEPARATORS = ":/"
_PLACEHOLDER = re.compile(PLACEHOLDER_CHARACTERS)

# By kind (`segment`), then by name: a new placeholder's number is the count of its kind so far.
_placeholders: Dict[bool, Dict[str, str]] = {False: {}, True: {}}
_placeholders_lock = threading.Lock()


@dataclass(frozen=True)
class UnknownValue:
    """A value the scan cannot resolve (unresolved reference, policy variable, computed ARN)."""

    reason: str
    # For a partly resolved string: the known text, with `*` wherever the value is unknown.
    pattern: Optional[str] = None
    # The same text with a placeholder character for each unknown part (see `placeholder`), when the scan can
    # tell which unknown each part is: two values that share a placeholder are equal in that part.
    symbolic: Optional[str] = None

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


def placeholder(name: str, segment: bool = False) -> str:
    """The character that stands for the unknown value called `name` (the same name always gives the same one).

    A segment never holds a separator (`:` or `/`), which lets a pattern rule it out of an ARN's other parts.
    """
    with _placeholders_lock:
        given = _placeholders[segment]
        character = given.get(name)
        if character is None:
            first, last = (_FIRST_SEGMENT, _LAST_PLACEHOLDER) if segment else (_FIRST_PLACEHOLDER, _FIRST_SEGMENT)
            code = first + len(given)
            character = given[name] = chr(code) if code < last else ANONYMOUS
        return character


def is_segment(placeholder_character: str) -> bool:
    return _FIRST_SEGMENT <= ord(placeholder_character) < _LAST_PLACEHOLDER


def partly_known(symbolic: str, reason: str) -> Union[str, UnknownValue]:
    """A text built with placeholders: the text itself when it holds none, else an UnknownValue."""
    if not _PLACEHOLDER.search(symbolic):
        return symbolic
    return UnknownValue(reason, pattern=_PLACEHOLDER.sub("*", symbolic), symbolic=symbolic)


def symbolic_text(value: object) -> Optional[str]:
    """A string value as text with placeholders; None when not even its shape is known."""
    if isinstance(value, UnknownValue):
        if value.symbolic is not None:
            return value.symbolic
        # In a bare pattern, `*` may be unknown text or a literal wildcard: either way, not a named value.
        return value.pattern.replace("*", ANONYMOUS) if value.pattern is not None else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


@dataclass(frozen=True)
class ForeignAddress:
    """A source address the customer's policies cannot name: outside every range they list, short of all
    addresses (such as the AWS-managed addresses Redshift Spectrum on a provisioned cluster calls S3 from)."""

    def __str__(self) -> str:
        return "<an AWS-managed address>"


class Tristate(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool) -> Tristate:
        return cls.TRUE if value else cls.FALSE

    def __bool__(self) -> bool:
        # Every member would otherwise be truthy, so `if outcome:` would silently treat FALSE as TRUE.
        raise TypeError("a Tristate has no truth value; compare it with Tristate.TRUE, FALSE or UNKNOWN")


def all_of(outcomes: Iterable[Tristate]) -> Tristate:
    """Kleene AND: any FALSE gives FALSE, else any UNKNOWN gives UNKNOWN, else TRUE."""
    result = Tristate.TRUE
    for outcome in outcomes:
        if outcome is Tristate.FALSE:
            return Tristate.FALSE
        if outcome is Tristate.UNKNOWN:
            result = Tristate.UNKNOWN
    return result


def any_of(outcomes: Iterable[Tristate]) -> Tristate:
    """Kleene OR: any TRUE gives TRUE, else any UNKNOWN gives UNKNOWN, else FALSE."""
    result = Tristate.FALSE
    for outcome in outcomes:
        if outcome is Tristate.TRUE:
            return Tristate.TRUE
        if outcome is Tristate.UNKNOWN:
            result = Tristate.UNKNOWN
    return result


def negate(outcome: Tristate) -> Tristate:
    if outcome is Tristate.UNKNOWN:
        return Tristate.UNKNOWN
    return Tristate.FALSE if outcome is Tristate.TRUE else Tristate.TRUE
