"""CKV_RSPEC_3: no policy may block presigned URLs or Signature Version 4 for Spectrum's reads.

AWS: Redshift Spectrum reads each S3 file through a presigned URL (s3:authType REST-QUERY-STRING) signed
with SigV4 (s3:signatureversion AWS4-HMAC-SHA256); no IAM policy may block presigned URLs.
"""
from __future__ import annotations

from spectrum_guard.estate import Estate
from spectrum_guard.rules.spectrum_read import Assessment, Cause, assessments, verdict
from spectrum_guard.rules.verdict import Rule, Verdict

SPECTRUM_USES_PRESIGNED_URLS = (
    "Spectrum reads each object through a presigned URL (s3:authType REST-QUERY-STRING) signed with SigV4 "
    "(s3:signatureversion AWS4-HMAC-SHA256)."
)
FIX = (
    "allow s3:authType REST-QUERY-STRING and s3:signatureversion AWS4-HMAC-SHA256 for object reads, "
    "or exempt the Spectrum role from the condition."
)


def judge(subject: Assessment, estate: Estate) -> Verdict:
    return verdict(subject, SPECTRUM_USES_PRESIGNED_URLS, FIX)


RULE = Rule(
    id="CKV_RSPEC_3",
    name="Ensure no policy blocks the presigned SigV4 URLs Redshift Spectrum reads S3 with",
    severity="HIGH",
    category="IAM",
    aws_source="https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html",
    subjects=lambda estate: assessments(estate, Cause.PRESIGNED_URL),
    judge=judge,
)
