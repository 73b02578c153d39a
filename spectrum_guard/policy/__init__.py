"""Pure-Python IAM policy model and evaluator: no Checkov, no AWS calls."""

from .evaluator import Decision, Evaluation, Request, action_matches, evaluate, names_request, statement_matches
from .model import Condition, PolicyDocument, PolicyError, Principal, Statement, parse_policy
from .operators import evaluate_condition, text_matches
from .values import (
    ANONYMOUS,
    PLACEHOLDER_CHARACTERS,
    ForeignAddress,
    Tristate,
    UnknownValue,
    all_of,
    any_of,
    negate,
    partly_known,
    placeholder,
    symbolic_text,
)

__all__ = [
    "ANONYMOUS",
    "PLACEHOLDER_CHARACTERS",
    "Condition",
    "Decision",
    "Evaluation",
    "ForeignAddress",
    "PolicyDocument",
    "PolicyError",
    "Principal",
    "Request",
    "Statement",
    "Tristate",
    "UnknownValue",
    "action_matches",
    "all_of",
    "any_of",
    "evaluate",
    "evaluate_condition",
    "names_request",
    "negate",
    "parse_policy",
    "partly_known",
    "placeholder",
    "statement_matches",
    "symbolic_text",
    "text_matches",
]
