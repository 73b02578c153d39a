"""Smoke test of benchmarks/generate.py: the generated estates parse in Checkov, and every unit is a working
Spectrum setup, so each of the nine checks passes on each of its subjects, in both frameworks.

Not a timed test: the benchmark itself is benchmarks/run.py (see docs/performance.md).
"""
import pytest

from benchmarks.generate import STACK_UNITS, generate, units_for
from checkov_runner import scan

UNITS = 7  # a full stack and a partial one, each with clusters (even units) and Serverless workgroups (odd)
RESOURCES = {"terraform": 260, "cloudformation": 230}  # about UNITS units each


def terraform_results(unit: int):
    file = f"/terraform/stack_{unit // STACK_UNITS:04d}/main.tf"
    reader = f"aws_redshiftserverless_workgroup.u{unit}" if unit % 2 else f"aws_redshift_cluster.u{unit}"
    return _results(file, f"aws_s3_bucket_policy.lake_u{unit}", f"aws_iam_role.spectrum_u{unit}", reader,
                    f"aws_s3_bucket.lake_u{unit}")


def cloudformation_results(unit: int):
    file = f"/cloudformation/stack_{unit // STACK_UNITS:04d}.json"
    reader = (f"AWS::RedshiftServerless::Workgroup.WorkgroupU{unit}" if unit % 2
              else f"AWS::Redshift::Cluster.ClusterU{unit}")
    return _results(file, f"AWS::S3::BucketPolicy.LakePolicyU{unit}", f"AWS::IAM::Role.SpectrumRoleU{unit}", reader,
                    f"AWS::S3::Bucket.LakeU{unit}")


def _results(file: str, bucket_policy: str, role: str, reader: str, bucket: str):
    subjects = {
        # CKV_RSPEC_1-4 pass on the bucket's policy; 5 on the role; 6-7 on the reader; 8-9 on the bucket.
        **{f"CKV_RSPEC_{number}": bucket_policy for number in (1, 2, 3, 4)},
        "CKV_RSPEC_5": role,
        "CKV_RSPEC_6": reader,
        "CKV_RSPEC_7": reader,
        "CKV_RSPEC_8": bucket,
        "CKV_RSPEC_9": bucket,
    }
    return {(check, file, resource, "PASSED") for check, resource in subjects.items()}


@pytest.mark.parametrize("glue_only", [False, True], ids=["linked", "glue_only"])
def test_every_check_passes_on_every_subject_of_a_generated_estate(tmp_path, glue_only):
    # With --glue-only, every one of the 7 roles may read every bucket: one read stands for them (more than 4).
    for framework, resources in RESOURCES.items():
        assert units_for(resources, framework) == UNITS
        generate(framework, resources, tmp_path / framework, glue_only)
    result = scan("-d", str(tmp_path), "--check", "CKV_RSPEC_*", frameworks=("terraform", "cloudformation"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "UNKNOWN for" not in result.stderr, result.stderr[-3000:]
    expected = {
        finding
        for unit in range(UNITS)
        for finding in terraform_results(unit) | cloudformation_results(unit)
    }
    assert result.results() == expected
    for report in result.raw:
        assert report["summary"]["parsing_errors"] == 0
        assert report["summary"]["resource_count"] >= 225
