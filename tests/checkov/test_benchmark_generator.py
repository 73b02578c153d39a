"""Smoke test of benchmarks/generate.py: the generated estates parse in Checkov, and every role passes.

Not a timed test: the benchmark itself is benchmarks/run.py (see docs/performance.md).
"""
from benchmarks.generate import generate
from checkov_runner import scan


def test_generated_estates_parse_and_every_spectrum_role_passes(tmp_path):
    shapes = {
        framework: generate(framework, 120, tmp_path / framework) for framework in ("terraform", "cloudformation")
    }
    # Written when CKV_RSPEC_5 was the only check; the generator does not yet model a clean estate for the others.
    result = scan("-d", str(tmp_path), "--check", "CKV_RSPEC_5")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "UNKNOWN for" not in result.stderr, result.stderr[-3000:]
    reports = {report["check_type"]: report for report in result.raw}
    for framework, shape in shapes.items():
        summary = reports[framework]["summary"]
        assert summary["parsing_errors"] == 0
        assert summary["resource_count"] >= 100
        # One Spectrum role per unit (cluster or Serverless namespace), each trusting only Redshift.
        assert summary["passed"] == shape["units"] and summary["failed"] == 0
