"""Values the scan cannot resolve, and the three-valued logic that carries them through."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Optional


@dataclass(frozen=True)
class UnknownValue:
    """A value the scan cannot resolve (unresolved reference, policy variable, computed ARN)."""

    reason: str
    # For a partly resolved string: the known text, with `*` wherever the value is unknown.
    pattern: Optional[str] = None

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


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
