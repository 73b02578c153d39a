"""CKV_RSPEC_9: every Spectrum bucket has S3 server access logging.

AWS: Spectrum's S3 traffic never appears in VPC flow logs; S3 server access logs (or CloudTrail S3 data events)
are how to audit it.
"""
from __future__ import annotations

from spectrum_guard.estate import Estate
from spectrum_guard.rules.read_audit import AWS_SOURCE, NO_FLOW_LOG, AuditedBucket, audited_buckets
from spectrum_guard.rules.verdict import Outcome, Rule, Verdict


def judge(subject: AuditedBucket, estate: Estate) -> Verdict:
    audit = estate.read_audit
    if audit.error:
        return Verdict(subject.resource, Outcome.UNKNOWN, audit.error, malformed=True)
    bucket = subject.spectrum.bucket
    logging = audit.logging_of(bucket)
    if logging.enabled_by:
        return Verdict(
            subject.resource, Outcome.PASSED, f"{bucket} has server access logging: {logging.enabled_by[0]}."
        )
    maybe = logging.maybe_by + [f"{resource} may log it" for resource in audit.unlinked_logging]
    if maybe:
        return Verdict(
            subject.resource,
            Outcome.UNKNOWN,
            f"whether {bucket} has server access logging cannot be decided: {'; '.join(maybe)}",
        )
    return Verdict(
        subject.resource,
        Outcome.FAILED,
        f"{bucket} is read by Redshift Spectrum ({subject.spectrum.why[0]}), but has no server access logging. "
        f"{NO_FLOW_LOG} Fix: {_fix(subject)}",
    )


def _fix(subject: AuditedBucket) -> str:
    if subject.is_cloudformation:
        return (
            "add LoggingConfiguration: {DestinationBucketName: <a log bucket>, LogFilePrefix: <this bucket's name>/} "
            "to the bucket's Properties (the log bucket must let logging.s3.amazonaws.com write to it)."
        )
    # How the bucket's own module refers to it: the address without its module path.
    local = ".".join(subject.resource.address.split(".")[-2:])
    name = local.split(".")[-1]
    return (
        f'add resource "aws_s3_bucket_logging" "{name}" {{ bucket = {local}.id '
        f'target_bucket = "<a log bucket>" target_prefix = "{name}/" }} '
        "(the log bucket must let logging.s3.amazonaws.com write to it)."
    )


RULE = Rule(
    id="CKV_RSPEC_9",
    name="Ensure every Redshift Spectrum bucket has S3 server access logging",
    severity="LOW",
    category="LOGGING",
    aws_source=AWS_SOURCE,
    subjects=audited_buckets,
    judge=judge,
)
