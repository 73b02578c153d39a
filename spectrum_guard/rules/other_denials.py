"""CKV_RSPEC_4: nothing else in the scan's policies may deny Spectrum's reads of its buckets.

AWS: an explicit Deny in any applicable policy wins; otherwise the read needs an Allow from the role's
identity policies or from the bucket policy (from both when the bucket is in another account).
"""
from __future__ import annotations

from spectrum_guard.estate import Estate
from spectrum_guard.rules.spectrum_read import Assessment, Cause, assessments, verdict
from spectrum_guard.rules.verdict import Rule, Verdict

SPECTRUM_READS_AS_ITS_ROLE = (
    "Spectrum reads S3 as a session of the role attached to its cluster or namespace, with the user agent "
    "\"AWS Redshift/Spectrum\"."
)
FIX = (
    "allow s3:GetObject on the bucket's objects to the Spectrum role (in its identity policy, or the bucket "
    "policy, and in both across accounts), and keep it out of every Deny that names it, its account or its "
    "user agent."
)


def judge(subject: Assessment, estate: Estate) -> Verdict:
    return verdict(subject, SPECTRUM_READS_AS_ITS_ROLE, FIX)


RULE = Rule(
    id="CKV_RSPEC_4",
    name="Ensure no other policy statement stops Redshift Spectrum's role from reading its buckets",
    severity="HIGH",
    category="IAM",
    aws_source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
    subjects=lambda estate: assessments(estate, Cause.OTHER),
    judge=judge,
)
