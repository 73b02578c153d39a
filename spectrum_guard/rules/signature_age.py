"""CKV_RSPEC_2: an s3:signatureAge limit must admit Spectrum's presigned URLs for their whole hour.

AWS: Redshift Spectrum reads each file through a presigned URL valid for one hour, so a bucket policy that
uses s3:signatureAge must allow at least 3,600,000 milliseconds.
"""
from __future__ import annotations

from spectrum_guard.estate import Estate
from spectrum_guard.rules.spectrum_read import Assessment, Cause, Obstacle, assessments, verdict
from spectrum_guard.rules.verdict import Rule, Verdict


def judge(subject: Assessment, estate: Estate) -> Verdict:
    threshold = estate.configuration.signature_age_threshold_ms
    stopped = isinstance(subject, Obstacle) and subject.certain and subject.ages
    ages = f" It stops signatures aged {_ages(subject)}." if stopped else ""
    cause = f"Spectrum's presigned URLs are used for up to {threshold} ms after signing.{ages}"
    fix = (
        f"let s3:signatureAge reach at least {threshold} (NumericGreaterThan {threshold} in a Deny, "
        f"NumericLessThanEquals {threshold} or more in an Allow), or exempt the Spectrum role from the limit."
    )
    return verdict(subject, cause, fix)


def _ages(obstacle: Obstacle) -> str:
    low, high = min(obstacle.ages), max(obstacle.ages)
    return f"{low} ms" if low == high else f"from {low} to {high} ms"


RULE = Rule(
    id="CKV_RSPEC_2",
    name="Ensure no s3:signatureAge limit is shorter than Redshift Spectrum's one-hour presigned URLs",
    severity="HIGH",
    category="IAM",
    aws_source="https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html",
    subjects=lambda estate: assessments(estate, Cause.SIGNATURE_AGE),
    judge=judge,
)
