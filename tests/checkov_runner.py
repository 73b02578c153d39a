"""Run the real Checkov CLI with spectrum-guard's checks and read its JSON report."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
CHECKS_DIR = REPO / "checks"
FRAMEWORKS = ("terraform", "terraform_plan", "cloudformation")


@dataclass(frozen=True)
class Finding:
    check_id: str
    file_path: str
    resource: str
    result: str


@dataclass
class Scan:
    findings: List[Finding]
    details: Dict[Tuple[str, str, str], List[str]]
    stderr: str
    returncode: int
    raw: object

    def results(self, *check_ids: str) -> FrozenSet[Tuple[str, str, str, str]]:
        """(check id, file, resource, result) of the given checks, or of every CKV_RSPEC check."""
        return frozenset(
            (f.check_id, f.file_path, f.resource, f.result)
            for f in self.findings
            if (f.check_id in check_ids if check_ids else f.check_id.startswith("CKV_RSPEC_"))
        )


def checkov(
    *args: str,
    frameworks: Sequence[str] = FRAMEWORKS,
    env: Optional[Dict[str, str]] = None,
    output: str = "json",
    cwd: Path = REPO,
) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).with_name("checkov")),
        "--skip-download",
        "--external-checks-dir", str(CHECKS_DIR),
        "--framework", *frameworks,
        "-o", output,
        *args,
    ]
    # PYTHONPATH makes Checkov load the engine from this checkout, whatever is installed.
    environment = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environment, timeout=600)


def scan(*args: str, **kwargs) -> Scan:
    completed = checkov(*args, **kwargs)
    report = json.loads(completed.stdout) if completed.stdout.strip().startswith(("{", "[")) else []
    reports = report if isinstance(report, list) else [report]
    findings: List[Finding] = []
    details: Dict[Tuple[str, str, str], List[str]] = {}
    for one in reports:
        results = one.get("results", {}) if isinstance(one, dict) else {}
        for key in ("passed_checks", "failed_checks", "skipped_checks"):
            for record in results.get(key, []):
                finding = Finding(
                    record["check_id"], record["file_path"], record["resource"], record["check_result"]["result"]
                )
                findings.append(finding)
                details[(finding.check_id, finding.file_path, finding.resource)] = record.get("details") or []
    return Scan(findings, details, completed.stderr, completed.returncode, report)
