"""What every rule returns, and the shape of a rule."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterable

from spectrum_guard import DOCS_BASE_URL
from spectrum_guard.estate import Estate, ResourceRef


class Outcome(Enum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Verdict:
    subject: ResourceRef
    outcome: Outcome
    reason: str
    # UNKNOWN because the input is broken, rather than because it is only known at deploy time.
    malformed: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str  # Checkov severity name: LOW, MEDIUM, HIGH or CRITICAL
    category: str  # Checkov check category name: IAM, NETWORKING or LOGGING
    aws_source: str  # the AWS page that states the fact the rule enforces
    subjects: Callable[[Estate], Iterable[Any]]  # each subject has a `.resource` ResourceRef
    # The verdict may name another resource than the subject's (the one holding the deciding statement);
    # the adapter reports the worst verdict per resource.
    judge: Callable[[Any, Estate], Verdict]

    @property
    def guideline(self) -> str:
        return f"{DOCS_BASE_URL}{self.id}.md"
