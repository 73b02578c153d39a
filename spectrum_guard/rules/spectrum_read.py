"""Can Redshift Spectrum read its buckets? The evaluation CKV_RSPEC_1 to CKV_RSPEC_4 share.

For every Spectrum bucket and every role that reads it, this builds the request S3 sees when Spectrum reads an
object, and evaluates it against the policies that apply: the bucket policy, the role's identity policies and
permissions boundary, and the organisation's SCPs and RCPs. An explicit Deny anywhere wins; an Allow must come
from the identity policies or the bucket policy (from both across accounts). Policies held outside the scan
are assumed to allow, since nothing here can judge them.

Each statement that stops the read, or may, is an Obstacle, filed under the cause its condition keys name:
network origin, signature age, presigned URLs, or anything else. The result is computed once per estate.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from spectrum_guard.estate import Estate, ResourceRef
from spectrum_guard.estate.model import AttachedPolicy
from spectrum_guard.estate.spectrum import Origin, SpectrumBucket, SpectrumRead, SpectrumRole
from spectrum_guard.policy import (
    Condition,
    ForeignAddress,
    PolicyDocument,
    Request,
    Statement,
    Tristate,
    UnknownValue,
    all_of,
    any_of,
    evaluate_condition,
    names_request,
    partly_known,
    placeholder,
    symbolic_text,
)
from spectrum_guard.rules.verdict import Outcome, Verdict

READ_ACTION = "s3:GetObject"


class Cause(Enum):
    NETWORK_ORIGIN = "network origin"
    SIGNATURE_AGE = "signature age"
    PRESIGNED_URL = "presigned URLs"
    OTHER = "other"


_NOTHING_STOPS = {
    Cause.NETWORK_ORIGIN: "no condition on the network origin stops",
    Cause.SIGNATURE_AGE: "no s3:signatureAge limit stops",
    Cause.PRESIGNED_URL: "no condition on presigned URLs or SigV4 stops",
    Cause.OTHER: "no other statement stops",
}


NETWORK_KEYS = ("aws:sourcevpce", "aws:sourcevpc", "aws:vpcsourceip", "aws:sourceip")
_CAUSE_OF_KEY = {
    **{key: Cause.NETWORK_ORIGIN for key in NETWORK_KEYS},
    "s3:signatureage": Cause.SIGNATURE_AGE,
    "s3:authtype": Cause.PRESIGNED_URL,
    "s3:signatureversion": Cause.PRESIGNED_URL,
}
# Request headers of uploads and copies, which an object read never carries.
_ABSENT_FROM_READS = (
    "s3:x-amz-acl",
    "s3:x-amz-copy-source",
    "s3:x-amz-metadata-directive",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-storage-class",
    "s3:object-lock-mode",
    "s3:object-lock-retain-until-date",
    "s3:object-lock-legal-hold",
)
# Keys whose value is one of a few, without the scan telling which: a condition decides only when all agree.
# S3 accepts TLS 1.2 and 1.3 only.
_ONE_OF = {"s3:tlsversion": (1.2, 1.3)}
_OBJECT_KEY = placeholder("the key of the object Spectrum reads")
# The policies that may grant the read; SCPs and RCPs only deny (their Allow statements are taken as granted).
_ALLOW_SIDES = ("identity", "boundary", "bucket")
_OTHER_KEYS = UnknownValue("not known for Spectrum's requests")
_VPC_KEYS = UnknownValue("the address or endpoint in the workgroup's VPC the request comes through")


@dataclass(frozen=True)
class Obstacle:
    """A statement that stops Spectrum's read of a bucket (certain) or may stop it, or the lack of an Allow."""

    bucket: SpectrumBucket
    role: SpectrumRole
    cause: Cause
    certain: bool
    resource: ResourceRef  # where it is reported: the resource that holds the deciding statement
    what: str  # what stops the read, naming the policy, the statement, the condition key and its values
    condition: Optional[Condition] = None
    # Signature ages (ms) at which it stops the read, when they matter.
    ages: Tuple[int, ...] = ()
    malformed: bool = False


@dataclass(frozen=True)
class ClearRead:
    """Nothing of one cause stops the role's read of the bucket."""

    bucket: SpectrumBucket
    role: SpectrumRole
    cause: Cause

    @property
    def resource(self) -> ResourceRef:
        return self.bucket.home


Assessment = Union[Obstacle, ClearRead]


def assessments(estate: Estate, cause: Cause) -> List[Assessment]:
    """For each Spectrum bucket and role reading it: the obstacles of `cause`, or a clear read."""
    found: List[Assessment] = []
    for bucket, read, obstacles in estate.derived("spectrum reads", _assess_all):
        mine = [obstacle for obstacle in obstacles if obstacle.cause is cause]
        found.extend(mine or [ClearRead(bucket, read.role, cause)])
    return found


def verdict(subject: Assessment, cause_text: str, fix: str) -> Verdict:
    """The verdict on one assessment; `cause_text` says why the cause stops Spectrum, `fix` how to remedy it."""
    reader = f"Redshift Spectrum ({', '.join(subject.role.readers)}; role {subject.role.name})"
    if isinstance(subject, ClearRead):
        clear = f"{reader}: {_NOTHING_STOPS[subject.cause]} its reads of bucket {subject.bucket.bucket}."
        return Verdict(subject.resource, Outcome.PASSED, clear)
    can = "cannot" if subject.certain else "may not be able to"
    reason = f"{reader} {can} read bucket {subject.bucket.bucket}: {subject.what}. {cause_text} Fix: {fix}"
    outcome = Outcome.FAILED if subject.certain else Outcome.UNKNOWN
    return Verdict(subject.resource, outcome, reason, malformed=subject.malformed)


def describe_condition(condition: Condition) -> str:
    values = ", ".join(_describe_value(value) for value in condition.values)
    return f"{condition.operator} {condition.key} [{values}]"


@dataclass(frozen=True)
class _Source:
    """A readable policy that applies to the read, and which side of the evaluation it is on."""

    policy: AttachedPolicy
    document: PolicyDocument
    side: str  # "bucket", "identity", "boundary" or "organization"


@dataclass(frozen=True)
class _Match:
    source: _Source
    statement: Statement
    target: Tristate  # action, resource and principal
    conditions: Tuple[Tuple[Condition, Tristate], ...]

    @property
    def outcome(self) -> Tristate:
        return all_of([self.target, *(outcome for _, outcome in self.conditions)])

    def where(self) -> str:
        return f"{self.statement.label} of {self.source.policy.name}"


def _assess_all(estate: Estate) -> List[Tuple[SpectrumBucket, SpectrumRead, List[Obstacle]]]:
    threshold = estate.configuration.signature_age_threshold_ms
    return [
        (bucket, read, _assess(estate, bucket, read, threshold))
        for bucket in estate.spectrum_buckets
        for read in bucket.reads
    ]


def _assess(estate: Estate, bucket: SpectrumBucket, read: SpectrumRead, threshold: int) -> List[Obstacle]:
    """The assessment is shared by the four checks and every bucket: a defect met on one read must leave that
    read UNKNOWN, not take every other bucket's results with it."""
    try:
        return _Assessor(estate, bucket, read, threshold).obstacles()
    except Exception as error:  # noqa: BLE001
        what = f"internal error while evaluating its policies: {error!r}"
        return [Obstacle(bucket, read.role, cause, False, bucket.home, what, malformed=True) for cause in Cause]


class _Assessor:
    def __init__(self, estate: Estate, bucket: SpectrumBucket, read: SpectrumRead, threshold: int) -> None:
        self.bucket = bucket
        self.read = read
        self.threshold = threshold
        role = read.role.role
        self.identity = [] if role is None else list(role.identity_policies)
        self.boundary = None if role is None else role.permissions_boundary
        applicable = [
            *((policy, "bucket") for policy in bucket.bucket.policies),
            *((policy, "identity") for policy in self.identity),
            *(((self.boundary, "boundary"),) if self.boundary else ()),
            *((policy, "organization") for policy in estate.organization_policies),
        ]
        self.sources = [
            _Source(policy, policy.document, side)
            for policy, side in applicable
            if isinstance(policy.document, PolicyDocument)
        ]
        self.statements = [(source, statement) for source in self.sources for statement in source.document.statements]
        readable = {id(source.policy) for source in self.sources}
        unreadable = [(policy, side) for policy, side in applicable
                      if not policy.elsewhere and id(policy) not in readable]
        self.unreadable = [policy for policy, _ in unreadable]
        # A policy that cannot be read may hold the Allow: its side's grant is unknown, not absent.
        self.unreadable_sides = {side: [policy.name for policy, found in unreadable if found == side]
                                 for side in _ALLOW_SIDES}
        # Policies held elsewhere may supply the Allow: nothing here can judge them.
        self.identity_elsewhere = role is None or any(policy.elsewhere for policy in self.identity)
        self.boundary_elsewhere = self.boundary is not None and self.boundary.elsewhere
        self.bucket_elsewhere = bucket.bucket.resource is None and not bucket.bucket.policies
        self.ages = self._ages()
        # Whether each statement's action, resource and principal match the read: the same for every origin
        # and signature age, so it is computed once for each prefix.
        self._targets: Dict[str, List[Tristate]] = {}

    def obstacles(self) -> List[Obstacle]:
        found: Dict[tuple, Obstacle] = {}
        for policy in self.unreadable:
            for cause in Cause:
                what = f"{policy.name} cannot be read ({policy.document.reason})"
                obstacle = Obstacle(self.bucket, self.read.role, cause, False, policy.resource, what)
                self._keep(found, dataclasses.replace(obstacle, malformed=policy.document.malformed))
        for origin in sorted(self.read.role.origins, key=lambda origin: origin.value):
            for prefix in self.read.prefixes:
                for age in self.ages:
                    for obstacle in self._obstacles_of(self._request(origin, prefix, age), prefix, origin, age):
                        self._keep(found, obstacle)
        return list(found.values())

    def _keep(self, found: Dict[tuple, Obstacle], obstacle: Obstacle) -> None:
        key = (obstacle.cause, obstacle.resource, obstacle.what)
        kept = found.get(key)
        if kept is None or (obstacle.certain and not kept.certain):
            found[key] = obstacle
        elif kept.certain == obstacle.certain:
            found[key] = dataclasses.replace(kept, ages=tuple(sorted(set(kept.ages) | set(obstacle.ages))))

    def _ages(self) -> List[int]:
        """The signature ages where an s3:signatureAge limit of these policies could change the outcome."""
        ages = {0, self.threshold}
        for _, statement in self.statements:
            for condition in statement.conditions:
                if condition.key == "s3:signatureage":
                    for value in condition.values:
                        limit = _whole_milliseconds(value)
                        if limit is not None:
                            ages |= {age for age in (limit - 1, limit, limit + 1) if 0 <= age <= self.threshold}
        return sorted(ages)

    def _request(self, origin: Origin, prefix: str, age: int) -> Request:
        arn = self.read.role.arn
        context: Dict[str, object] = {
            "s3:authType": "REST-QUERY-STRING",
            "s3:signatureversion": "AWS4-HMAC-SHA256",
            "s3:signatureAge": age,
            "aws:SecureTransport": True,
            "aws:UserAgent": "AWS Redshift/Spectrum",
            "aws:PrincipalIsAWSService": False,
            "aws:PrincipalArn": arn,
            "aws:PrincipalAccount": _account(arn),
            **{key: None for key in _ABSENT_FROM_READS},
        }
        if origin is Origin.AWS_MANAGED:
            context.update({key: None for key in NETWORK_KEYS})
            context["aws:SourceIp"] = ForeignAddress()
        else:
            context.update({key: _VPC_KEYS for key in NETWORK_KEYS})
        resource = self.bucket.bucket.object_arn(prefix + _OBJECT_KEY)
        return Request(READ_ACTION, resource, principal_arn=arn, context=context, other_keys=_OTHER_KEYS)

    def _obstacles_of(self, request: Request, prefix: str, origin: Origin, age: int) -> Iterable[Obstacle]:
        targets = self._targets.get(prefix)
        if targets is None:
            targets = self._targets[prefix] = [
                names_request(statement, request) for _, statement in self.statements
            ]
        matches = [
            self._match(source, statement, target, request, origin)
            for (source, statement), target in zip(self.statements, targets)
        ]
        for match in matches:
            if match.statement.effect == "Deny" and match.outcome is not Tristate.FALSE:
                yield from self._denial(match, age)
        yield from self._missing_allow([match for match in matches if match.statement.effect == "Allow"], age)

    def _match(
        self, source: _Source, statement: Statement, target: Tristate, request: Request, origin: Origin
    ) -> _Match:
        conditions = []
        for condition in statement.conditions:
            if origin is Origin.CUSTOMER_VPC and condition.key in NETWORK_KEYS:
                # Enhanced VPC routing sends Spectrum through the workgroup's VPC: no network-origin finding.
                outcome = Tristate.FALSE if statement.effect == "Deny" else Tristate.TRUE
            elif condition.key in _ONE_OF:
                outcomes = {evaluate_condition(condition, {condition.key: value}) for value in _ONE_OF[condition.key]}
                outcome = outcomes.pop() if len(outcomes) == 1 else Tristate.UNKNOWN
            else:
                outcome = evaluate_condition(condition, request.context)
            conditions.append((condition, outcome))
        return _Match(source, statement, target, tuple(conditions))

    def _denial(self, match: _Match, age: int) -> Iterable[Obstacle]:
        certain = match.outcome is Tristate.TRUE
        deciding = (Tristate.TRUE,) if certain else (Tristate.TRUE, Tristate.UNKNOWN)
        for cause, condition in _causes(match, deciding, prefer=Tristate.UNKNOWN):
            held = f"its condition {describe_condition(condition)} holds" if condition else "it names no condition"
            if not certain:
                held = _undecided(match, condition)
            what = f"{match.where()} denies {READ_ACTION}: {held}"
            yield self._obstacle(cause, certain, match.source.policy.resource, what, condition, age)

    def _missing_allow(self, allows: List[_Match], age: int) -> Iterable[Obstacle]:
        grants = {
            side: any_of([*(match.outcome for match in allows if match.source.side == side),
                          *(Tristate.UNKNOWN for _ in self.unreadable_sides[side])])
            for side in _ALLOW_SIDES
        }
        identity = Tristate.TRUE if self.identity_elsewhere else grants["identity"]
        if self.boundary is not None:
            boundary = Tristate.TRUE if self.boundary_elsewhere else grants["boundary"]
            identity = all_of([identity, boundary])
        bucket = Tristate.TRUE if self.bucket_elsewhere else grants["bucket"]
        cross_account = self._cross_account()
        allowed = all_of([identity, bucket]) if cross_account else any_of([identity, bucket])
        if allowed is Tristate.TRUE:
            return
        failing = Tristate.FALSE if allowed is Tristate.FALSE else Tristate.UNKNOWN
        sides = [side for side, outcome in (("identity", identity), ("bucket", bucket)) if outcome is failing]
        candidates = [
            match
            for match in allows
            if (match.source.side in sides or (match.source.side == "boundary" and "identity" in sides))
            and match.target is not Tristate.FALSE
            and match.outcome is failing
        ]
        certain = failing is Tristate.FALSE
        for match in candidates:
            for cause, condition in _causes(match, (failing,), prefer=failing):
                if condition is None:
                    what = f"{match.where()} may allow {READ_ACTION}, but cannot be decided"
                else:
                    verb = "does not hold" if certain else "cannot be decided"
                    only_when = describe_condition(condition)
                    what = f"{match.where()} allows {READ_ACTION} only when {only_when}, which {verb}"
                yield self._obstacle(cause, certain, match.source.policy.resource, what, condition, age)
        if not candidates:
            what = f"no statement allows {READ_ACTION} on its objects"
            if cross_account and "bucket" in sides:
                what += " in the bucket policy, which a read from another account needs"
            if not certain:
                what = f"whether any statement allows {READ_ACTION} on its objects cannot be decided"
                unread = [name for side in sides for name in self.unreadable_sides[side]]
                if "identity" in sides:
                    unread += self.unreadable_sides["boundary"]
                if unread:
                    what += f": {', '.join(unread)} cannot be read"
            yield self._obstacle(Cause.OTHER, certain, self._missing_allow_holder(sides), what, None, age)

    def _missing_allow_holder(self, sides: Sequence[str]) -> ResourceRef:
        role = self.read.role.role
        if "identity" in sides and role is not None:
            return role.resource
        return self.bucket.home

    def _cross_account(self) -> bool:
        role_account = _account(self.read.role.arn)
        bucket_account = self.bucket.bucket.account
        return isinstance(role_account, str) and bucket_account is not None and role_account != bucket_account

    def _obstacle(
        self, cause: Cause, certain: bool, resource: ResourceRef, what: str, condition: Optional[Condition], age: int
    ) -> Obstacle:
        ages = (age,) if cause is Cause.SIGNATURE_AGE else ()
        return Obstacle(self.bucket, self.read.role, cause, certain, resource, what, condition, ages)


def _causes(match: _Match, deciding: Tuple[Tristate, ...], prefer: Tristate) -> List[Tuple[Cause, Optional[Condition]]]:
    """The causes the statement's deciding conditions name, each with its condition (the `prefer`red outcome
    first); conditions on other keys, or none at all, are the cause OTHER."""
    causes: Dict[Cause, Condition] = {}
    ordered = sorted(match.conditions, key=lambda item: item[1] is not prefer)
    for condition, outcome in ordered:
        cause = _CAUSE_OF_KEY.get(condition.key)
        if outcome in deciding and cause is not None:
            causes.setdefault(cause, condition)
    if causes:
        return list(causes.items())
    other = next((condition for condition, outcome in ordered if outcome in deciding), None)
    return [(Cause.OTHER, other)]


def _undecided(match: _Match, condition: Optional[Condition]) -> str:
    unresolved = next((c for c, outcome in match.conditions if outcome is Tristate.UNKNOWN), None)
    if unresolved is not None:
        return f"whether its condition {describe_condition(unresolved)} holds cannot be decided"
    if condition is not None:
        held = f"its condition {describe_condition(condition)} holds"
        return f"{held}, but its action, resource or principal cannot be decided"
    return "its action, resource or principal cannot be decided"


def _account(arn: object) -> object:
    text = symbolic_text(arn)
    parts = text.split(":") if text else []
    return partly_known(parts[4], f"the account of {arn}") if len(parts) > 5 else UnknownValue("account")


def _whole_milliseconds(value: object) -> Optional[int]:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return None


def _describe_value(value: object) -> str:
    if isinstance(value, UnknownValue):
        return f"<{value.reason}>"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)
