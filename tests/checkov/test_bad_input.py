"""Malformed resources through real Checkov: no crash, no false PASSED, UNKNOWN logged with the resource.

The cases are the table in bad_input_cases.py. The ordinary cases of a framework and group share one
Checkov run (each in a directory of its own; the "shared" group beside a well-formed control that must
still pass); hostile sizes run alone. Two runs at a time.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

import pytest

from bad_input_cases import CASES, BadInput
from checkov_runner import Scan, scan

SLOW = os.environ.get("SPECTRUM_GUARD_SLOW_TESTS") == "1"
RUN = tuple(case for case in CASES if SLOW or not case.slow)
CHECK_IDS = sorted({check for case in CASES for check in case.checks})

CONTROLS = {
    "terraform": ("main.tf", "aws_iam_role.control", """
resource "aws_iam_role" "control" {
  name               = "control"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "redshift.amazonaws.com" } }] })
}
resource "aws_redshift_cluster" "control" {
  cluster_identifier = "control"
  node_type          = "ra3.xlplus"
  iam_roles          = [aws_iam_role.control.arn]
}
"""),
    "cloudformation": ("template.yaml", "AWS::IAM::Role.Control", """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Control:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {Service: redshift.amazonaws.com}}]
  ControlCluster:
    Type: AWS::Redshift::Cluster
    Properties: {ClusterType: single-node, NodeType: ra3.xlplus, DBName: dev, MasterUsername: admin,
                 IamRoles: [!GetAtt Control.Arn]}
"""),
}


_case_directories: Dict[str, str] = {}


def _write(root: Path, case: BadInput) -> None:
    _case_directories[case.name] = str(root)
    for relative, text in case.files().items():
        path = root / case.name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


# Checkov's HCL parser gives up after 10 s; a 5 MB heredoc on a busy machine needs longer.
PARSE_TIMEOUT = {"HCL_PARSE_TIMEOUT_SEC": "600"}


def _scan(root: Path, framework: str) -> Scan:
    return scan("-d", str(root), "--check", ",".join(CHECK_IDS), frameworks=(framework,), env=PARSE_TIMEOUT)


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Dict[str, Scan]:
    """Case name (or "control:<framework>") -> the Checkov scan that covered it."""
    jobs: List[tuple] = []
    groups = sorted({(case.framework, case.group) for case in RUN if not case.isolated})
    for framework, group in groups:
        shared = tmp_path_factory.mktemp(f"bad_input_{framework}_{group}")
        names = []
        if group == "shared":
            file_name, _, text = CONTROLS[framework]
            (shared / "control").mkdir()
            (shared / "control" / file_name).write_text(text)
            names.append(f"control:{framework}")
        for case in RUN:
            if (case.framework, case.group) == (framework, group) and not case.isolated:
                _write(shared, case)
                names.append(case.name)
        jobs.append((shared, framework, names))
    for case in RUN:
        if case.isolated:
            alone = tmp_path_factory.mktemp(f"bad_input_{case.name}")
            _write(alone, case)
            jobs.append((alone, case.framework, [case.name]))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: _scan(job[0], job[1]), jobs))
    return {name: result for (_, _, names), result in zip(jobs, results) for name in names}


@pytest.mark.parametrize("framework", sorted(CONTROLS))
def test_the_shared_run_still_reports_a_well_formed_resource(scans, framework):
    _, resource, _ = CONTROLS[framework]
    assert any(
        finding.resource == resource and finding.result == "PASSED"
        for finding in scans[f"control:{framework}"].findings
    )


def _assert_checkov_defect(result: Scan, case: BadInput) -> None:
    """Checkov crashes on this input with or without the plugin, and the traceback holds no frame of ours."""
    assert result.returncode not in (0, 1) and "Traceback" in result.stderr
    assert "spectrum_guard" not in result.stderr
    directory = Path(_case_directories[case.name])
    without_plugin = subprocess.run(
        [str(Path(sys.executable).with_name("checkov")), "--skip-download", "--framework", case.framework,
         "-d", str(directory), "-o", "json"],
        capture_output=True, text=True, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"}, timeout=600,
    )
    assert without_plugin.returncode == result.returncode, without_plugin.stderr[-2000:]


def _parsing_errors(result: Scan) -> list:
    reports = result.raw if isinstance(result.raw, list) else [result.raw]
    return [
        path for one in reports if isinstance(one, dict) for path in one.get("results", {}).get("parsing_errors", [])
    ]


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, marks=pytest.mark.skipif(case.slow and not SLOW, reason="SPECTRUM_GUARD_SLOW_TESTS=1"))
     for case in CASES],
    ids=[case.name for case in CASES],
)
def test_bad_input(scans, case: BadInput):
    result = scans[case.name]
    if case.expect == "checkov_defect":
        _assert_checkov_defect(result, case)
        return
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    for resource in (case.resource, *case.also):
        in_case = [
            f for f in result.findings
            if f.resource == resource and f.check_id in case.checks and f"/{case.name}/" in "/" + f.file_path
        ]
        assert not [f for f in in_case if f.result == "PASSED"], f"false PASSED for {resource}: {in_case}"
        if case.expect == "parse_error":
            assert [path for path in _parsing_errors(result) if f"/{case.name}/" in path], result.stderr[-3000:]
            continue
        for check in case.checks:
            lines = [
                line for line in result.stderr.splitlines()
                if re.search(rf"{check} UNKNOWN for {re.escape(resource)} \([^)]*{re.escape(case.name)}/", line)
            ]
            found = _findings_of(result, case)
            assert lines, f"no {check} UNKNOWN line for {resource}:\n{found}\n{result.stderr[-3000:]}"
            if case.reason:
                assert any(case.reason.lower() in line.lower() for line in lines), lines


def _findings_of(result: Scan, case: BadInput) -> list:
    return [f for f in result.findings if f"/{case.name}/" in "/" + f.file_path]
