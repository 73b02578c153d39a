"""`--repo-root-for-plan-enrichment`: plan findings carry their source file and honour its skip comments."""
from __future__ import annotations

import shutil

from checkov_runner import REPO, scan

PLAN_EXAMPLE = REPO / "terraform_examples" / "plan" / "role_trust"


def test_plan_findings_carry_source_file_and_skip_comments(tmp_path):
    # A comment leaves the plan as it is, so the committed plan still matches this source.
    source = (PLAN_EXAMPLE / "main.tf").read_text()
    marker = 'resource "aws_iam_role" "shared_etl" {\n'
    assert marker in source
    (tmp_path / "main.tf").write_text(
        source.replace(marker, marker + "  #checkov:skip=CKV_RSPEC_5:Glue shares it until the split\n")
    )
    shutil.copy(PLAN_EXAMPLE / "tfplan.json", tmp_path / "tfplan.json")

    enriched = scan("-f", "tfplan.json", "--repo-root-for-plan-enrichment", ".", "--check", "CKV_RSPEC_*",
                    frameworks=("terraform_plan",), cwd=tmp_path)
    plain = scan("-f", "tfplan.json", "--check", "CKV_RSPEC_*", frameworks=("terraform_plan",), cwd=tmp_path)

    assert plain.results() == {
        ("CKV_RSPEC_5", "/tfplan.json", "aws_iam_role.spectrum", "PASSED"),
        ("CKV_RSPEC_5", "/tfplan.json", "aws_iam_role.shared_etl", "FAILED"),
    }
    # Checkov 3.3.30 moves only a skipped graph-check finding to its .tf file and lines; the others stay in the plan.
    assert enriched.results() == {
        ("CKV_RSPEC_5", "/tfplan.json", "aws_iam_role.spectrum", "PASSED"),
        ("CKV_RSPEC_5", "main.tf", "aws_iam_role.shared_etl", "SKIPPED"),
    }
    [skipped] = [record for record in _records(enriched) if record["resource"] == "aws_iam_role.shared_etl"]
    first_line = source.splitlines().index(marker.strip()) + 1
    assert skipped["file_line_range"][0] == first_line


def _records(found):
    reports = found.raw if isinstance(found.raw, list) else [found.raw]
    return [record for report in reports for key in ("passed_checks", "failed_checks", "skipped_checks")
            for record in report.get("results", {}).get(key, [])]
