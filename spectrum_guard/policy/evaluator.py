"""Decide one request against a group of policies with IAM's evaluation logic, explaining the decision."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from .model import Condition, PolicyDocument, Principal, Statement
from .operators import evaluate_condition, text_matches
from .values import Tristate, UnknownValue, any_of, negate, partly_known, symbolic_text

_ACCOUNT_ID = re.compile(r"\d{12}")
# The account part may be partly unknown (a placeholder), but never holds a colon.
_ACCOUNT_ROOT = re.compile(r"arn:[^:]*:iam::([^:]*):root")
# A role session is never a service, a federated identity or an S3 canonical user.
_NON_ROLE_PRINCIPAL_KINDS = ("Service", "Federated", "CanonicalUser")


class Decision(Enum):
    ALLOW = "allow"
    DENY = "deny"
    IMPLICIT_DENY = "implicit deny"
    UNKNOWN = "unknown"


_EFFECTS = (("Deny", Decision.DENY, "denies", "may deny"), ("Allow", Decision.ALLOW, "allows", "may allow"))


@dataclass(frozen=True)
class Request:
    action: str
    # May be partly unknown, such as an object ARN whose key is known only by its prefix.
    resource: Union[str, UnknownValue]
    # The calling role's ARN, for resource-based policies' Principal; None skips principal matching.
    principal_arn: Union[str, UnknownValue, None] = None
    # When None, the account is read from principal_arn.
    principal_account: Union[str, UnknownValue, None] = None
    context: Mapping[str, object] = field(default_factory=dict)
    # The value of every key `context` does not list: None when such keys are absent from the request,
    # an UnknownValue when the scan cannot tell.
    other_keys: Optional[UnknownValue] = None

    def __post_init__(self) -> None:
        values = {key.lower(): value for key, value in self.context.items()}
        object.__setattr__(self, "context", _Context(values, self.other_keys))


class _Context(Mapping):
    """Condition keys (lower-case) to request values; a key not listed has the value `other_keys`."""

    def __init__(self, values: Mapping[str, object], other_keys: Optional[UnknownValue]) -> None:
        self._values = dict(values)
        self._other_keys = other_keys

    def __getitem__(self, key: str) -> object:
        if key in self._values:
            return self._values[key]
        if self._other_keys is None:
            raise KeyError(key)
        return self._other_keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class Evaluation:
    decision: Decision
    statement: Optional[Statement]
    policy_name: Optional[str]
    condition_key: Optional[str]
    reason: str


@dataclass(frozen=True)
class _Match:
    outcome: Tristate
    # The element that decided the outcome: the first that failed, else the first unresolved.
    element: Optional[str]
    # That element when it is a condition; for a match, the first condition (all of them hold).
    condition: Optional[Condition]


def action_matches(patterns: tuple, action: str) -> Tristate:
    """Action names are case-insensitive; `*` and `?` are wildcards."""
    return any_of(text_matches(pattern, action, wildcards=True, ignore_case=True) for pattern in patterns)


def statement_matches(statement: Statement, request: Request) -> Tuple[Tristate, Optional[str]]:
    """Whether the statement applies to the request, and the condition key that decided or stayed unresolved."""
    match = _match_statement(statement, request)
    return match.outcome, _condition_key(match)


def names_request(statement: Statement, request: Request) -> Tristate:
    """Whether the statement's Action, Resource and Principal all name the request, its conditions aside."""
    return _match_statement(statement, request, conditions=False).outcome


def evaluate(request: Request, policies: Sequence[Tuple[str, PolicyDocument]]) -> Evaluation:
    """An explicit Deny wins, then a possible Deny (UNKNOWN), then an Allow, then a possible Allow."""
    matches = [
        (name, statement, _match_statement(statement, request))
        for name, policy in policies
        for statement in policy.statements
    ]
    target = f"{request.action} on {request.resource}"
    for effect, decision, verb, possible_verb in _EFFECTS:
        candidates = [candidate for candidate in matches if candidate[1].effect == effect]
        for name, statement, match in candidates:
            if match.outcome is Tristate.TRUE:
                because = f" because its {_describe(match)} holds" if match.condition is not None else ""
                reason = f"{statement.label} in {name} {verb} {target}{because}."
                return _evaluation(decision, name, statement, match, reason)
        for name, statement, match in candidates:
            if match.outcome is Tristate.UNKNOWN:
                reason = (
                    f"{statement.label} in {name} {possible_verb} {target}: its {_describe(match)} cannot be resolved"
                )
                if effect == "Allow":
                    reason += ", and no statement certainly allows it"
                return _evaluation(Decision.UNKNOWN, name, statement, match, reason + ".")
    return Evaluation(Decision.IMPLICIT_DENY, None, None, None, f"No statement allows {target}.")


def _evaluation(decision: Decision, name: str, statement: Statement, match: _Match, reason: str) -> Evaluation:
    return Evaluation(decision, statement, name, _condition_key(match), reason)


def _condition_key(match: _Match) -> Optional[str]:
    return match.condition.key if match.condition is not None else None


def _describe(match: _Match) -> str:
    if match.condition is not None:
        return f"{match.condition.operator} condition on {match.condition.key}"
    return str(match.element)


def _match_statement(statement: Statement, request: Request, conditions: bool = True) -> _Match:
    action = _positive_or_negated(
        statement.actions, statement.not_actions, lambda patterns: action_matches(patterns, request.action)
    )
    resource = _positive_or_negated(
        statement.resources, statement.not_resources, lambda patterns: _resource_matches(patterns, request.resource)
    )
    elements: List[Tuple[str, Tristate, Optional[Condition]]] = [
        ("Action", action, None),
        ("Resource", resource, None),
        ("Principal", _principal_element_matches(statement, request), None),
    ]
    judged = statement.conditions if conditions else ()
    elements.extend(("Condition", evaluate_condition(condition, request.context), condition) for condition in judged)
    for decisive in (Tristate.FALSE, Tristate.UNKNOWN):
        for element, outcome, condition in elements:
            if outcome is decisive:
                return _Match(decisive, element, condition)
    first_condition = judged[0] if judged else None
    return _Match(Tristate.TRUE, None, first_condition)


def _positive_or_negated(
    positive: Optional[tuple], negated: Optional[tuple], matches: Callable[[tuple], Tristate]
) -> Tristate:
    if positive is not None:
        return matches(positive)
    if negated is not None:
        return negate(matches(negated))
    return Tristate.TRUE  # no such element (Resource in a trust policy): the statement does not narrow it


def _resource_matches(patterns: tuple, resource: Union[str, UnknownValue]) -> Tristate:
    """Resource ARNs are case-sensitive; `*` matches across `/` and `:`."""
    return any_of(text_matches(pattern, resource, wildcards=True) for pattern in patterns)


def _principal_element_matches(statement: Statement, request: Request) -> Tristate:
    if request.principal_arn is None:
        return Tristate.TRUE
    return _positive_or_negated(
        statement.principals,
        statement.not_principals,
        lambda principals: any_of(_principal_matches(principal, request) for principal in principals),
    )


def _principal_matches(principal: Principal, request: Request) -> Tristate:
    if principal.kind == "*":
        return Tristate.TRUE
    if principal.kind in _NON_ROLE_PRINCIPAL_KINDS:
        return Tristate.FALSE
    if principal.kind != "AWS":
        return Tristate.UNKNOWN
    if principal.value == "*":
        return Tristate.TRUE
    account = _principal_account(principal.value)
    if account is None:
        return _equals(principal.value, request.principal_arn)
    return _equals(account, request.principal_account or _account_of(request.principal_arn))


def _principal_account(value: Union[str, UnknownValue]) -> Union[str, UnknownValue, None]:
    """The account an account principal (an ID, or its root ARN) names; None for any other principal."""
    text = symbolic_text(value)
    if text is None:
        return None
    if _ACCOUNT_ID.fullmatch(text):
        return text
    root = _ACCOUNT_ROOT.fullmatch(text)
    return partly_known(root.group(1), f"the account of {value}") if root else None


def _account_of(arn: Union[str, UnknownValue, None]) -> Union[str, UnknownValue, None]:
    text = symbolic_text(arn)
    if text is None:
        return arn
    parts = text.split(":")
    return partly_known(parts[4], f"the account of {arn}") if len(parts) > 5 else None


def _equals(expected: Union[str, UnknownValue], actual: Union[str, UnknownValue, None]) -> Tristate:
    if actual is None:
        return Tristate.FALSE
    return text_matches(expected, actual, wildcards=False)
