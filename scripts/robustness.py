#!/usr/bin/env python3
"""Run Checkov with spectrum-guard over any directory tree and report how the plugin behaved.

Reports, per scanned tree:
  - the count of results per check (PASSED / FAILED / SKIPPED from Checkov's JSON report, and the
    UNKNOWN lines spectrum-guard logs, split into WARNING = deploy-time value, ERROR = broken input);
  - every ERROR line spectrum-guard's code logged (UNKNOWN for malformed input, "could not run",
    "could not read") and every other ERROR line;
  - every Python traceback on stderr, marked "ours" when a frame is inside spectrum_guard;
  - Checkov's exit code (0 or 1 is normal; anything else is a crash).

Usage (from the repository root, with the project's virtualenv):

    python scripts/robustness.py DIR [DIR ...]
    python scripts/robustness.py --split DIR        # one Checkov run per subdirectory of DIR
    python scripts/robustness.py --list-failed DIR  # also list every FAILED resource, to review
    python scripts/robustness.py --json out.json DIR
    python scripts/robustness.py --config every-bucket.yaml DIR   # every bucket a Spectrum bucket

The exit code is 1 when any run crashed, printed a traceback from spectrum_guard, or logged an
internal error of spectrum-guard ("could not run", "could not read", "internal error"); else 0.
UNKNOWN for malformed input is not an internal error: it is the designed answer to broken input.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

REPO = Path(__file__).resolve().parent.parent
CHECKS_DIR = REPO / "checks"
DEFAULT_FRAMEWORKS = ("terraform", "terraform_plan", "cloudformation")

# 2026-01-01 12:00:00,000 [MainThread  ] [ERROR]  message
_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \[[^\]]*\] \[(?P<level>[A-Z]+)\]\s+(?P<message>.*)$")
_UNKNOWN = re.compile(r"^(?P<check>CKV_RSPEC_\d+) UNKNOWN for (?P<resource>\S+) \((?P<file>[^)]*)\): (?P<reason>.*)$")
_OURS = re.compile(r"CKV_RSPEC_|spectrum[-_]guard")
_INTERNAL = re.compile(r"could not run|could not read|internal error")


@dataclass
class RunResult:
    target: str
    returncode: int
    seconds: float
    # check id -> {"PASSED": n, "FAILED": n, "SKIPPED": n, "UNKNOWN": n, "UNKNOWN_ERROR": n}
    counts: Dict[str, Dict[str, int]] = field(default_factory=dict)
    failed: List[str] = field(default_factory=list)  # "CHECK resource (file)"
    unknown: List[str] = field(default_factory=list)  # "[LEVEL] CHECK resource (file): reason"
    our_errors: List[str] = field(default_factory=list)  # internal errors of spectrum-guard
    other_errors: List[str] = field(default_factory=list)  # Checkov's own ERROR lines
    tracebacks: List[str] = field(default_factory=list)
    our_tracebacks: List[str] = field(default_factory=list)
    parsing_errors: int = 0
    resource_count: int = 0
    report_missing: bool = False

    @property
    def crashed(self) -> bool:
        return self.returncode not in (0, 1) or self.report_missing

    @property
    def healthy(self) -> bool:
        return not (self.crashed or self.our_errors or self.our_tracebacks)


def run_checkov(
    target: Path,
    frameworks: Sequence[str],
    check: Optional[str],
    timeout: float,
    extra_env: Optional[Dict[str, str]] = None,
) -> RunResult:
    command = [
        str(Path(sys.executable).with_name("checkov")),
        "--skip-download",
        "--external-checks-dir", str(CHECKS_DIR),
        "--framework", *frameworks,
        "-o", "json",
        "-d", str(target),
    ]
    if check:
        command += ["--check", check]
    env = {
        **os.environ,
        "BC_SKIP_MAPPING": "TRUE",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        **(extra_env or {}),
    }
    started = time.perf_counter()
    try:
        completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
        returncode, stdout, stderr = completed.returncode, completed.stdout, completed.stderr
    except subprocess.TimeoutExpired as expired:
        returncode = -9
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        stderr = (expired.stderr.decode() if isinstance(expired.stderr, bytes) else (expired.stderr or ""))
        stderr += f"\nTIMEOUT after {timeout} s\n"
    result = RunResult(str(target), returncode, time.perf_counter() - started)
    _read_report(stdout, result)
    _read_stderr(stderr, result)
    return result


def _count(result: RunResult, check_id: str, outcome: str) -> None:
    counts = result.counts.setdefault(check_id, {})  # a plain dict: dataclasses.asdict mangles a Counter
    counts[outcome] = counts.get(outcome, 0) + 1


def _read_report(stdout: str, result: RunResult) -> None:
    text = stdout.strip()
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        result.report_missing = True
        return
    try:
        report = json.loads(text[start:])
    except ValueError:
        result.report_missing = True
        return
    for one in report if isinstance(report, list) else [report]:
        if not isinstance(one, dict):
            continue
        summary = one.get("summary", {})
        result.parsing_errors += int(summary.get("parsing_errors", 0) or 0)
        result.resource_count += int(summary.get("resource_count", 0) or 0)
        results = one.get("results", {})
        for key, outcome in (("passed_checks", "PASSED"), ("failed_checks", "FAILED"), ("skipped_checks", "SKIPPED")):
            for record in results.get(key, []):
                _count(result, record["check_id"], outcome)
                if outcome == "FAILED" and record["check_id"].startswith("CKV_RSPEC_"):
                    result.failed.append(f"{record['check_id']} {record['resource']} ({record['file_path']})")


def _read_stderr(stderr: str, result: RunResult) -> None:
    lines = stderr.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("Traceback (most recent call last)"):
            block = [line]
            index += 1
            # A traceback ends at its first unindented line (the exception), inclusive.
            while index < len(lines):
                block.append(lines[index])
                if lines[index] and not lines[index].startswith(" "):
                    break
                index += 1
            text = "\n".join(block)
            result.tracebacks.append(text)
            if "spectrum_guard" in text:
                result.our_tracebacks.append(text)
            index += 1
            continue
        logged = _LOG_LINE.match(line)
        if logged:
            level, message = logged.group("level"), logged.group("message")
            unknown = _UNKNOWN.match(message)
            if unknown:
                _count(result, unknown.group("check"), "UNKNOWN")
                if level == "ERROR":
                    _count(result, unknown.group("check"), "UNKNOWN_ERROR")
                result.unknown.append(f"[{level}] {message}")
                if _INTERNAL.search(unknown.group("reason")):
                    result.our_errors.append(message)
            elif level in ("ERROR", "CRITI"):
                if _OURS.search(message):
                    result.our_errors.append(message)
                else:
                    result.other_errors.append(message)
        index += 1


def targets_of(directory: Path, split: bool) -> List[Path]:
    if not split:
        return [directory]
    subdirectories = sorted(path for path in directory.iterdir() if path.is_dir() and not path.name.startswith("."))
    return subdirectories or [directory]


def print_result(result: RunResult, list_failed: bool, list_unknown: bool) -> None:
    status = "OK" if result.healthy else "PROBLEM"
    print(
        f"== {result.target}: exit {result.returncode}, {result.seconds:.1f} s, "
        f"{result.resource_count} resources, {result.parsing_errors} parsing errors [{status}]"
    )
    for check_id in sorted(result.counts):
        if check_id.startswith("CKV_RSPEC_"):
            print(f"   {check_id}: {_format_counts(result.counts[check_id])}")
    others = [check_id for check_id in result.counts if not check_id.startswith("CKV_RSPEC_")]
    if others:
        total = sum(sum(result.counts[c].get(k, 0) for k in ("PASSED", "FAILED", "SKIPPED")) for c in others)
        print(f"   other checks: {len(others)} checks, {total} results")
    if result.crashed:
        print("   CRASH: " + ("no JSON report" if result.report_missing else f"exit code {result.returncode}"))
    for message in result.our_errors:
        print(f"   OUR ERROR: {message}")
    for text in result.our_tracebacks:
        print("   OUR TRACEBACK:\n      " + text.replace("\n", "\n      "))
    other_tracebacks = len(result.tracebacks) - len(result.our_tracebacks)
    if other_tracebacks or result.other_errors:
        print(f"   Checkov's own: {len(result.other_errors)} ERROR lines, {other_tracebacks} tracebacks (not ours)")
    if list_failed:
        for failed in result.failed:
            print(f"   FAILED {failed}")
    if list_unknown:
        for unknown in result.unknown:
            print(f"   {unknown}")


def _format_counts(counts: Dict[str, int]) -> str:
    parts = [f"{key} {counts.get(key, 0)}" for key in ("PASSED", "FAILED", "SKIPPED", "UNKNOWN")]
    return ", ".join(parts) + f" (UNKNOWN at ERROR: {counts.get('UNKNOWN_ERROR', 0)})"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", nargs="+", type=Path)
    parser.add_argument("--split", action="store_true", help="one Checkov run per immediate subdirectory")
    parser.add_argument("--framework", nargs="+", default=list(DEFAULT_FRAMEWORKS))
    parser.add_argument("--check", default="CKV_RSPEC_*", help="Checkov --check filter; '' runs every check")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--list-failed", action="store_true", help="list every FAILED resource of our checks")
    parser.add_argument("--list-unknown", action="store_true", help="list every UNKNOWN line")
    parser.add_argument("--json", type=Path, help="also write every result to this JSON file")
    parser.add_argument(
        "--config", type=Path,
        help="a .spectrum-guard.yaml for every run (SPECTRUM_GUARD_CONFIG); `spectrum_buckets: ['*']` makes "
        "every bucket a Spectrum bucket, so that CKV_RSPEC_1-4, 8 and 9 judge every bucket policy of a corpus",
    )
    arguments = parser.parse_args(argv)

    extra_env = {"SPECTRUM_GUARD_CONFIG": str(arguments.config.resolve())} if arguments.config else None
    results: List[RunResult] = []
    for directory in arguments.directories:
        for target in targets_of(directory, arguments.split):
            result = run_checkov(target, arguments.framework, arguments.check or None, arguments.timeout, extra_env)
            print_result(result, arguments.list_failed, arguments.list_unknown)
            sys.stdout.flush()
            results.append(result)

    totals: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for result in results:
        for check_id, counts in result.counts.items():
            if check_id.startswith("CKV_RSPEC_"):
                totals[check_id].update(counts)
    print("== TOTAL")
    print(f"   runs: {len(results)}, crashed: {sum(r.crashed for r in results)}, "
          f"resources: {sum(r.resource_count for r in results)}, "
          f"parsing errors: {sum(r.parsing_errors for r in results)}, "
          f"seconds: {sum(r.seconds for r in results):.1f}")
    for check_id in sorted(totals):
        print(f"   {check_id}: {_format_counts(totals[check_id])}")
    print(f"   spectrum-guard internal errors: {sum(len(r.our_errors) for r in results)}, "
          f"spectrum-guard tracebacks: {sum(len(r.our_tracebacks) for r in results)}, "
          f"other tracebacks: {sum(len(r.tracebacks) - len(r.our_tracebacks) for r in results)}")
    if arguments.json:
        arguments.json.write_text(
            json.dumps([{**asdict(r), "crashed": r.crashed, "healthy": r.healthy} for r in results], indent=1)
        )
    return 0 if all(result.healthy for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
