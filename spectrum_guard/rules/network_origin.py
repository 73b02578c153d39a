"""CKV_RSPEC_1: no policy may admit Spectrum's reads only through a VPC endpoint, a VPC or a source address.

AWS: Redshift Spectrum on a provisioned cluster runs on AWS-managed resources outside the customer's VPC, and
cannot read buckets whose policy restricts access to specified VPC endpoints; restrict by principal instead.
"""
from __future__ import annotations

from spectrum_guard.estate import Estate
from spectrum_guard.rules.spectrum_read import Assessment, Cause, assessments, verdict
from spectrum_guard.rules.verdict import Rule, Verdict

SPECTRUM_IS_OUTSIDE_THE_VPC = (
    "Spectrum on a provisioned cluster calls S3 from AWS-managed addresses, never through a VPC endpoint "
    "or the VPC (aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp are absent, aws:SourceIp is not the customer's)."
)
FIX = (
    "restrict the bucket by principal (the Spectrum role's ARN, or its account) instead of by network, "
    "or exempt the Spectrum role from the condition (for example ArnNotEquals aws:PrincipalArn <role ARN> "
    "in the same Deny)."
)


def judge(subject: Assessment, estate: Estate) -> Verdict:
    return verdict(subject, SPECTRUM_IS_OUTSIDE_THE_VPC, FIX)


RULE = Rule(
    id="CKV_RSPEC_1",
    name="Ensure no bucket, role or organisation policy admits Redshift Spectrum's reads only from a VPC endpoint",
    severity="HIGH",
    category="IAM",
    aws_source="https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html",
    subjects=lambda estate: assessments(estate, Cause.NETWORK_ORIGIN),
    judge=judge,
)
