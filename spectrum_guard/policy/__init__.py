"""Pure-Python IAM policy model and evaluator: no Checkov, no AWS calls."""

from .evaluator import Decision, Evaluation, Request, action_matches, evaluate, statement_matches
from .model import Condition, PolicyDocument, PolicyError, Principal, Statement, parse_policy
from .operators import evaluate_condition
from .values import Tristate, UnknownValue, all_of, any_of, negate

__all__ = [
    "Condition",
    "Decision",
    "Evaluation",
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
    "negate",
    "parse_policy",
    "statement_matches",
]
