"""CKV_RSPEC_8: a CloudTrail trail records the object reads (S3 data events) of every Spectrum bucket.

AWS: Spectrum's S3 traffic never appears in VPC flow logs; to audit it, log CloudTrail data events for S3 objects
(trails log management events only by default) or turn on S3 server access logging.

A selector covers a bucket when every object Spectrum reads there is recorded: each object under each key
prefix Spectrum reads (its Glue locations; the whole bucket when a role policy or a declaration makes it a
Spectrum bucket without one). A value that cannot be resolved and matters gives UNKNOWN, never FAILED.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import AbstractSet, Dict, List, Mapping, Optional, Sequence, Set

from spectrum_guard.estate import Estate, Unresolved
from spectrum_guard.estate.audit import (
    EVENT_CATEGORY,
    READ_ONLY,
    RESOURCE_ARN,
    RESOURCE_TYPE,
    S3_OBJECT,
    FieldCondition,
    Selector,
    Trail,
    Value,
)
from spectrum_guard.policy import ANONYMOUS, PLACEHOLDER_CHARACTERS, Tristate, all_of, any_of, negate, symbolic_text
from spectrum_guard.rules.read_audit import AWS_SOURCE, NO_FLOW_LOG, AuditedBucket, audited_buckets
from spectrum_guard.rules.verdict import Outcome, Rule, Verdict

_PLACEHOLDER = re.compile(PLACEHOLDER_CHARACTERS)
# What a Spectrum read looks like to an advanced event selector, field by field (lower-case names: CloudTrail
# rejects other spellings, so matching them loosely cannot admit a selector it would not run).
_READ_EVENT = {
    EVENT_CATEGORY.lower(): "Data",
    RESOURCE_TYPE.lower(): S3_OBJECT,
    READ_ONLY.lower(): "true",
    "eventname": "GetObject",
    "eventsource": "s3.amazonaws.com",
    "eventtype": "AwsApiCall",
}
_REQUIRED_FIELDS = (EVENT_CATEGORY.lower(), RESOURCE_TYPE.lower())
_VALUE_BUCKET = re.compile(r"^arn:aws:s3:::(?P<bucket>[^/]+)/")


@dataclass(frozen=True)
class Reads:
    """What Spectrum reads in a bucket: the objects under these key prefixes ("" for the whole bucket)."""

    bucket_name: str  # symbolic text: placeholders stand for unknown parts, such as a generated name
    prefixes: Sequence[str]
    # The names (symbolic texts) of the scan's buckets. Bucket names are globally unique, so a value naming
    # another of them does not name this bucket, even when either name is unknown (generated, say).
    scan_buckets: AbstractSet[str] = frozenset()

    def object_prefixes(self) -> List[str]:
        return [f"arn:aws:s3:::{self.bucket_name}/{prefix}" for prefix in self.prefixes]

    def names_another_bucket(self, value: Value) -> bool:
        named = _scan_bucket_named(value, self.scan_buckets)
        return named is not None and named != self.bucket_name


def _scan_bucket_named(value: Value, scan_buckets: AbstractSet[str]) -> Optional[str]:
    """The scan's bucket whose objects `value` names (arn:aws:s3:::<bucket>/...), if it names one."""
    match = _VALUE_BUCKET.match(symbolic_text(value) or "")
    return match.group("bucket") if match and match.group("bucket") in scan_buckets else None


@dataclass(frozen=True)
class TrailIndex:
    """The trails that may record a bucket's reads, found without judging every trail against every bucket.

    A selector with a resources.ARN condition whose values all name buckets of the scan records no other
    bucket (see Reads.names_another_bucket); a trail whose every selector is so pinned, or that is stopped,
    records only the buckets named. Any other trail may record any bucket.
    """

    trails: Sequence[Trail]
    by_bucket: Mapping[str, Sequence[int]]  # positions in `trails`
    anywhere: Sequence[int]

    def candidates(self, bucket_name: str) -> List[Trail]:
        """In scan order, so that the first trail found to record the reads is the same as with every trail."""
        positions = sorted({*self.by_bucket.get(bucket_name, ()), *self.anywhere})
        return [self.trails[position] for position in positions]


def index_trails(trails: Sequence[Trail], scan_buckets: AbstractSet[str]) -> TrailIndex:
    by_bucket: Dict[str, List[int]] = {}
    anywhere: List[int] = []
    for position, trail in enumerate(trails):
        names = _only_buckets_recorded(trail, scan_buckets)
        if names is None:
            anywhere.append(position)
        for name in names or ():
            by_bucket.setdefault(name, []).append(position)
    return TrailIndex(tuple(trails), by_bucket, tuple(anywhere))


def _only_buckets_recorded(trail: Trail, scan_buckets: AbstractSet[str]) -> Optional[AbstractSet[str]]:
    """The names of the only buckets whose reads `trail` may record; None when it may record any bucket's."""
    if isinstance(trail.selectors, Unresolved):
        return None
    if trail.logging is False:
        return frozenset()
    names: Set[str] = set()
    for selector in trail.selectors:
        pinned = _pinned_buckets(selector, scan_buckets)
        if pinned is None:
            return None
        names |= pinned
    return names


def _pinned_buckets(selector: Selector, scan_buckets: AbstractSet[str]) -> Optional[AbstractSet[str]]:
    for condition in selector.conditions:
        if condition.field.lower() != RESOURCE_ARN.lower() or condition.operator.startswith("Not"):
            continue
        named = [_scan_bucket_named(value, scan_buckets) for value in condition.values]
        if None not in named:
            return set(named)
    return None


@dataclass(frozen=True)
class Coverage:
    """Whether a selector or trail records every read Spectrum makes of a bucket, and if not, why not."""

    outcome: Tristate
    reason: str


def covers(selector: Selector, reads: Reads) -> Coverage:
    """Whether `selector` records every one of `reads`."""
    fields = {condition.field.lower() for condition in selector.conditions if not condition.operator.startswith("Not")}
    if not all(required in fields for required in _REQUIRED_FIELDS):
        return Coverage(
            Tristate.FALSE,
            f"{selector.label} records no S3 object data events "
            f"(it needs eventCategory = Data and resources.type = {S3_OBJECT})",
        )
    undecided: List[FieldCondition] = []
    for condition in selector.conditions:
        outcome = all_of(_condition_covers(condition, reads, prefix) for prefix in reads.object_prefixes())
        if outcome is Tristate.FALSE:
            return Coverage(Tristate.FALSE, _why_not(selector, condition, reads))
        if outcome is Tristate.UNKNOWN:
            undecided.append(condition)
    if undecided:
        written = ", ".join(condition.written for condition in undecided)
        return Coverage(Tristate.UNKNOWN, f"{selector.label} may leave them out: {written} cannot be decided")
    return Coverage(Tristate.TRUE, selector.label)


def trail_covers(trail: Trail, reads: Reads) -> Coverage:
    if isinstance(trail.selectors, Unresolved):
        return Coverage(Tristate.UNKNOWN, f"{trail.resource}: {trail.selectors.reason}")
    if trail.logging is False:
        return Coverage(Tristate.FALSE, f"{trail.resource} is stopped (its logging is off)")
    if not trail.selectors:
        return Coverage(
            Tristate.FALSE, f"{trail.resource} records management events only (it has no data event selector)"
        )
    found = [covers(selector, reads) for selector in trail.selectors]
    outcome = any_of(coverage.outcome for coverage in found)
    if outcome is Tristate.TRUE:
        selector = next(coverage.reason for coverage in found if coverage.outcome is Tristate.TRUE)
        if trail.logging is True:
            return Coverage(Tristate.TRUE, f"{trail.resource} ({selector})")
        return Coverage(
            Tristate.UNKNOWN,
            f"{trail.resource} records them ({selector}), but whether it is on is not known: {trail.logging.reason}",
        )
    reasons = [coverage.reason for coverage in found if coverage.outcome is outcome]
    return Coverage(outcome, f"{trail.resource}: {'; '.join(reasons)}")


def judge(subject: AuditedBucket, estate: Estate) -> Verdict:
    bucket = subject.spectrum.bucket
    configuration = estate.configuration
    if configuration.organization_trail:
        return Verdict(
            subject.resource,
            Outcome.PASSED,
            f"The organisation trail {configuration.organization_trail}, declared in {configuration.source}, "
            f"records S3 data events for every bucket, {bucket} included.",
        )
    audit = estate.read_audit
    if audit.error:
        return Verdict(subject.resource, Outcome.UNKNOWN, audit.error, malformed=True)
    scan_buckets = estate.derived("bucket names", _bucket_names)
    reads = Reads(
        bucket.name_text,
        sorted({prefix for read in subject.spectrum.reads for prefix in read.prefixes}) or [""],
        scan_buckets,
    )
    # Judging only the trails that may record this bucket keeps the work linear in buckets and trails.
    candidates = estate.derived("trails by bucket", _trail_index)
    found = [trail_covers(trail, reads) for trail in candidates.candidates(bucket.name_text)]
    outcome = any_of(coverage.outcome for coverage in found)
    if outcome is Tristate.TRUE:
        recorded = next(coverage.reason for coverage in found if coverage.outcome is Tristate.TRUE)
        return Verdict(subject.resource, Outcome.PASSED, f"Spectrum's reads of {bucket} are recorded by {recorded}.")
    if outcome is Tristate.UNKNOWN:
        reasons = [coverage.reason for coverage in found if coverage.outcome is Tristate.UNKNOWN]
        malformed = any(isinstance(trail.selectors, Unresolved) and trail.selectors.malformed for trail in audit.trails)
        return Verdict(
            subject.resource,
            Outcome.UNKNOWN,
            "whether a trail records its reads cannot be decided: " + "; ".join(reasons),
            malformed=malformed,
        )
    # The failure names every trail and why it misses, the others included.
    found = [trail_covers(trail, reads) for trail in audit.trails]
    if found:
        problem = f"no trail records reads of its objects: {' | '.join(coverage.reason for coverage in found)}."
    else:
        problem = (
            "no aws_cloudtrail or AWS::CloudTrail::Trail in the scan records reads of its objects. If an "
            "organisation trail outside the scan records S3 data events for every bucket, declare it in "
            ".spectrum-guard.yaml: `organization_trail: <its ARN or name>`."
        )
    return Verdict(
        subject.resource,
        Outcome.FAILED,
        f"{bucket} is read by Redshift Spectrum ({subject.spectrum.why[0]}), but {problem} {NO_FLOW_LOG} "
        f"Fix: {_fix(subject)}",
    )


def _trail_index(estate: Estate) -> TrailIndex:
    return index_trails(estate.read_audit.trails, _bucket_names(estate))


def _bucket_names(estate: Estate) -> AbstractSet[str]:
    # A name with an anonymous part equals no other name, not even its own text.
    return frozenset(bucket.name_text for bucket in estate.buckets if ANONYMOUS not in bucket.name_text)


def _condition_covers(condition: FieldCondition, reads: Reads, object_prefix: str) -> Tristate:
    """Whether every object ARN starting with `object_prefix`, read by Spectrum, satisfies the condition."""
    field = condition.field.lower()
    negated = condition.operator.startswith("Not")
    operator = condition.operator[3:] if negated else condition.operator
    if field == RESOURCE_ARN.lower():
        values = [value for value in condition.values if not reads.names_another_bucket(value)]
        if negated:
            # Excluded when the value names the objects read, all (a shorter prefix) or some (a longer one).
            return all_of(_excludes_none(operator, object_prefix, value) for value in values)
        # Only a prefix of the objects' ARNs records them all; an Equals or EndsWith names some objects only.
        return any_of(
            _starts_with(object_prefix, value) if operator == "StartsWith" else Tristate.FALSE for value in values
        )
    actual = _READ_EVENT.get(field)
    if actual is None:
        return Tristate.UNKNOWN  # a field this check does not model (userIdentity.arn, errorCode...)
    matches = [_matches(operator, actual, value, ignore_case=field == READ_ONLY.lower()) for value in condition.values]
    return all_of(negate(match) for match in matches) if negated else any_of(matches)


def _excludes_none(operator: str, object_prefix: str, value: Value) -> Tristate:
    if operator == "StartsWith":
        return all_of((negate(_starts_with(object_prefix, value)), negate(_starts_with(value, object_prefix))))
    if operator == "Equals":
        return negate(_starts_with(value, object_prefix))
    return Tristate.FALSE  # some object under any prefix ends with any text


def _matches(operator: str, actual: str, value: Value, ignore_case: bool) -> Tristate:
    text = symbolic_text(value)
    if text is None:
        return Tristate.UNKNOWN
    if ignore_case:
        actual, text = actual.lower(), text.lower()
    if operator == "StartsWith":
        return _starts_with(actual, text)
    if operator == "EndsWith":
        return _starts_with(actual[::-1], text[::-1])
    return all_of((_starts_with(actual, text), _starts_with(text, actual)))


def _starts_with(text: Value, prefix: Value) -> Tristate:
    """Over symbolic texts: the same placeholder is the same unknown; any other unknown part may be anything."""
    text, prefix = symbolic_text(text), symbolic_text(prefix)
    if text is None or prefix is None:
        return Tristate.UNKNOWN
    if not _PLACEHOLDER.search(text) and not _PLACEHOLDER.search(prefix):
        return Tristate.of(text.startswith(prefix))
    for mine, theirs in zip(text, prefix):
        if _PLACEHOLDER.match(mine) or _PLACEHOLDER.match(theirs):
            if mine == theirs and mine != ANONYMOUS:
                continue
            return Tristate.UNKNOWN
        if mine != theirs:
            return Tristate.FALSE
    if len(prefix) > len(text):
        return Tristate.FALSE
    return Tristate.TRUE


def _why_not(selector: Selector, condition: FieldCondition, reads: Reads) -> str:
    field = condition.field.lower()
    if field == READ_ONLY.lower():
        return f"{selector.label} records only writes ({condition.written})"
    if field in _REQUIRED_FIELDS:
        return f"{selector.label} records no S3 object data events ({condition.written})"
    if field != RESOURCE_ARN.lower():
        return f"{selector.label} excludes Spectrum's reads (GetObject) ({condition.written})"
    inside = f"arn:aws:s3:::{reads.bucket_name}/"
    ignored = "".join(
        f"; {value} has no trailing / and names no object" for value in selector.ignored_values if value + "/" == inside
    )
    if condition.operator.startswith("Not"):
        return f"{selector.label} excludes its objects ({condition.written})"
    if any(_starts_with(value, inside) is Tristate.TRUE for value in condition.values):
        read = ", ".join(prefix or "the whole bucket" for prefix in reads.prefixes)
        return (
            f"{selector.label} covers only part of it ({condition.written}), "
            f"not every location Spectrum reads ({read})"
        )
    return f"{selector.label} covers other buckets only ({condition.written}{ignored})"


def _fix(subject: AuditedBucket) -> str:
    arn = subject.arn_text
    if subject.is_cloudformation:
        return (
            "give an AWS::CloudTrail::Trail an event selector that records reads of its objects: "
            "EventSelectors: [{ReadWriteType: All, DataResources: "
            f'[{{Type: AWS::S3::Object, Values: [!Sub "{arn}/"]}}]}}] '
            "(or AdvancedEventSelectors with eventCategory Equals Data, resources.type Equals AWS::S3::Object and "
            "resources.ARN StartsWith its ARN followed by /), "
            "or declare an organisation trail that records every bucket."
        )
    return (
        "give an aws_cloudtrail an event selector that records reads of its objects: "
        'event_selector { read_write_type = "All" '
        f'data_resource {{ type = "AWS::S3::Object" values = ["{arn}/"] }} }} '
        "(or an advanced_event_selector with eventCategory = Data, resources.type = AWS::S3::Object and "
        "resources.ARN starts_with its ARN followed by /), or declare an organisation trail that records every bucket."
    )


RULE = Rule(
    id="CKV_RSPEC_8",
    name="Ensure a CloudTrail trail records the S3 object reads (data events) of every Redshift Spectrum bucket",
    severity="MEDIUM",
    category="LOGGING",
    aws_source=AWS_SOURCE,
    subjects=audited_buckets,
    judge=judge,
)
