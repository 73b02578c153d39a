"""CKV_RSPEC_5: the role attached to a Redshift cluster should be assumable only by the Redshift service.

AWS: "The role that you grant access should have a trust relationship that allows only the Redshift
service principal to assume it, so that the role can be used only inside Redshift."
"""
from __future__ import annotations

import re
from typing import Iterable, List

from spectrum_guard.estate import Estate, ReaderKind, Role, Unresolved
from spectrum_guard.policy import Principal, Statement, Tristate, UnknownValue, action_matches, any_of, negate
from spectrum_guard.rules.verdict import Outcome, Rule, Verdict

REDSHIFT = "redshift.amazonaws.com"
REDSHIFT_SERVERLESS = "redshift-serverless.amazonaws.com"
_REGIONAL_REDSHIFT = re.compile(r"^redshift\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?$")
_REGIONAL_REDSHIFT_PATTERN = re.compile(r"^redshift\.\*\.(?:amazonaws\.com(?:\.cn)?|\*)$")
_NEVER_REDSHIFT = ("*", "AWS", "Federated", "CanonicalUser")
_ASSUME_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


def roles_meant_for_redshift(estate: Estate) -> Iterable[Role]:
    """Roles attached to a cluster or namespace, and roles whose trust policy admits a Redshift principal."""
    return [role for role in estate.roles if estate.readers_of(role) or _trusts_redshift(role)]


def judge(role: Role, estate: Estate) -> Verdict:
    if isinstance(role.trust_policy, Unresolved):
        return Verdict(
            role.resource,
            Outcome.UNKNOWN,
            f"its trust policy cannot be read: {role.trust_policy.reason}",
            malformed=role.trust_policy.malformed,
        )
    readers = estate.readers_of(role)
    # A Serverless namespace assumes its roles as redshift-serverless; a provisioned cluster never does.
    serverless_accepted = not readers or any(reader.kind is ReaderKind.SERVERLESS for reader in readers)
    others: List[str] = []
    undecided: List[str] = []
    for statement in role.trust_policy.statements:
        if statement.effect != "Allow":
            continue
        assumes = _allows_assume_role(statement)
        if assumes is Tristate.FALSE:
            continue
        admitted = _other_principals(statement, serverless_accepted, undecided)
        if assumes is Tristate.TRUE:
            others.extend(f"{principal} ({statement.label})" for principal in admitted)
        elif admitted:
            undecided.append(f"{statement.label} may allow {', '.join(admitted)} (its action is not known)")
    attachment = _attachment(role, estate)
    if others:
        return Verdict(
            role.resource,
            Outcome.FAILED,
            f"{role.resource} {attachment}, but its trust policy also lets {'; '.join(others)} assume it. "
            "Whoever assumes it gets the S3 and Glue access meant for Redshift Spectrum, outside Redshift. "
            f"Fix: trust only {REDSHIFT} in the role's Principal"
            + (f" (or {REDSHIFT_SERVERLESS} for a Serverless namespace)" if serverless_accepted else "")
            + ", drop the other principals and give them roles of their own.",
        )
    if undecided:
        return Verdict(role.resource, Outcome.UNKNOWN, f"its trust policy cannot be decided: {'; '.join(undecided)}")
    return Verdict(role.resource, Outcome.PASSED, f"{role.resource} {attachment} and trusts only Redshift.")


def _allows_assume_role(statement: Statement) -> Tristate:
    if statement.actions is not None:
        return any_of(action_matches(statement.actions, action) for action in _ASSUME_ACTIONS)
    return any_of(negate(action_matches(statement.not_actions or (), action)) for action in _ASSUME_ACTIONS)


def _other_principals(statement: Statement, serverless_accepted: bool, undecided: List[str]) -> List[str]:
    """Principals other than Redshift that the statement admits; undecidable ones go to `undecided`."""
    if statement.not_principals is not None:
        excluded = ", ".join(_describe(principal) for principal in statement.not_principals)
        return [f"every principal except {excluded} (Allow with NotPrincipal)"]
    if statement.principals is None:
        undecided.append(f"{statement.label} has no Principal")
        return []
    others = []
    for principal in statement.principals:
        if principal.kind == "Service" and _is_accepted_service(principal.value, serverless_accepted):
            continue
        # Any account, role, user or identity provider is another principal, whatever its exact value.
        if principal.kind in _NEVER_REDSHIFT or not isinstance(principal.value, UnknownValue):
            others.append(_describe(principal))
        else:
            undecided.append(f"{statement.label} trusts {_describe(principal)}, which is not known")
    return others


def _is_accepted_service(service: object, serverless_accepted: bool) -> bool:
    if isinstance(service, UnknownValue):
        # "redshift.${AWS::Region}.amazonaws.com" and the like: regional Redshift whatever the region.
        return bool(service.pattern and _REGIONAL_REDSHIFT_PATTERN.match(service.pattern.lower()))
    name = str(service).lower()
    return name == REDSHIFT or bool(_REGIONAL_REDSHIFT.match(name)) or (
        serverless_accepted and name == REDSHIFT_SERVERLESS
    )


def _trusts_redshift(role: Role) -> bool:
    if isinstance(role.trust_policy, Unresolved):
        return False
    return any(
        statement.effect == "Allow"
        and _allows_assume_role(statement) is not Tristate.FALSE
        and any(
            principal.kind == "Service" and _is_accepted_service(principal.value, serverless_accepted=True)
            for principal in statement.principals or ()
        )
        for statement in role.trust_policy.statements
    )


def _attachment(role: Role, estate: Estate) -> str:
    readers = estate.readers_of(role)
    if not readers:
        return "trusts Redshift"
    return "is attached to " + ", ".join(f"{reader.kind.value} {reader.resource}" for reader in readers)


def _describe(principal: Principal) -> str:
    if principal.kind == "*":
        return "anyone (Principal \"*\")"
    value = principal.value
    if isinstance(value, UnknownValue):
        partly_known = value.pattern and value.pattern != "*"
        shown = f"{value.pattern} (partly unresolved)" if partly_known else f"<{value.reason}>"
    else:
        shown = str(value)
    if principal.kind == "AWS" and shown == "*":
        return "any AWS principal (AWS \"*\")"
    return f"{principal.kind} {shown}"


RULE = Rule(
    id="CKV_RSPEC_5",
    name="Ensure the IAM role used by Redshift (Spectrum) can be assumed only by the Redshift service",
    severity="HIGH",
    category="IAM",
    aws_source="https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html",
    subjects=roles_meant_for_redshift,
    judge=judge,
)
