"""What CKV_RSPEC_8 and CKV_RSPEC_9 share: the Spectrum buckets they judge, and why their reads need auditing.

AWS: Spectrum's S3 traffic does not cross the customer's VPC, so VPC flow logs never show it; CloudTrail data
events for S3 objects and S3 server access logs are the records of who read a bucket.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List

from spectrum_guard.estate import Estate, ResourceRef
from spectrum_guard.estate.spectrum import SpectrumBucket

AWS_SOURCE = "https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html"
NO_FLOW_LOG = (
    "Spectrum's reads never cross the VPC, so no VPC flow log shows them: CloudTrail S3 data events and "
    "S3 server access logs are the only records of who read the bucket."
)


@dataclass(frozen=True)
class AuditedBucket:
    """A Spectrum bucket the scan defines, where its verdicts are reported."""

    resource: ResourceRef
    spectrum: SpectrumBucket

    @property
    def is_cloudformation(self) -> bool:
        return self.resource.address.startswith("AWS::")

    @property
    def arn_text(self) -> str:
        """The bucket's ARN as a template would write it: literal when its name is known, else a reference."""
        name = self.spectrum.bucket.name
        if isinstance(name, str):
            return f"arn:aws:s3:::{name}"
        if self.is_cloudformation:
            return f"${{{self.resource.address.rsplit('.', 1)[-1]}.Arn}}"
        return f"${{{self.resource.address}.arn}}"


def audited_buckets(estate: Estate) -> List[AuditedBucket]:
    """Spectrum buckets with a resource in the scan. One the scan only names, or the configuration only declares,
    has nowhere to report: it gets no result."""
    return [
        AuditedBucket(found.bucket.resource, found)
        for found in estate.spectrum_buckets
        if found.bucket.resource is not None
    ]
