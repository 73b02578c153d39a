"""The `spectrum-guard` command: Checkov with the plugin, focused and offline by default."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checkov_runner import REPO

from spectrum_guard.checkov_adapter.cli import checkov_arguments, checks_dir

COMMAND = str(Path(sys.executable).with_name("spectrum-guard"))
FAILING = REPO / "terraform_examples" / "role_trust" / "cluster_shared_with_glue_failing"


def test_defaults_are_added():
    assert checkov_arguments([]) == [
        "--external-checks-dir", str(checks_dir()), "-d", ".", "--skip-download",
        "--framework", "terraform", "terraform_plan", "cloudformation", "--check", "CKV_RSPEC_*",
    ]


@pytest.mark.parametrize(
    "given, absent",
    [
        (["-f", "tfplan.json"], "-d"),
        (["--directory=infra"], "-d"),
        (["--framework", "terraform"], "terraform_plan"),
        (["--check", "CKV_RSPEC_5"], "CKV_RSPEC_*"),
        (["--with-builtins"], "--check"),
        (["--with-builtins"], "--with-builtins"),
    ],
)
def test_given_arguments_replace_defaults(given, absent):
    passed_through = [argument for argument in given if argument != "--with-builtins"]
    arguments = checkov_arguments(given)
    assert arguments[: len(passed_through)] == passed_through
    assert absent not in arguments[len(passed_through):]


def test_arguments_pass_through_in_order():
    arguments = checkov_arguments(["-f", "tfplan.json", "--repo-root-for-plan-enrichment", ".", "-o", "sarif"])
    assert arguments[:6] == ["-f", "tfplan.json", "--repo-root-for-plan-enrichment", ".", "-o", "sarif"]


def test_checks_dir_is_the_loadable_checks_directory():
    printed = subprocess.run([COMMAND, "--checks-dir"], capture_output=True, text=True, check=True).stdout.strip()
    directory = Path(printed)
    assert directory == checks_dir()
    assert (directory / "__init__.py").is_file() and (directory / "spectrum_guard_rspec_checks.py").is_file()
    assert not list(directory.glob("*.yaml")) + list(directory.glob("*.json"))


def run_command(*arguments):
    return subprocess.run([COMMAND, *arguments, "-o", "json"], capture_output=True, text=True, cwd=FAILING,
                          env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(REPO)})


def failed_checks(completed):
    reports = json.loads(completed.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    return {check["check_id"] for report in reports for check in report["results"]["failed_checks"]}


def test_command_runs_only_spectrum_checks_by_default():
    completed = run_command()
    assert completed.returncode == 1, completed.stderr
    assert failed_checks(completed) == {"CKV_RSPEC_5"}


def test_with_builtins_adds_checkovs_checks():
    checks = failed_checks(run_command("--with-builtins"))
    assert "CKV_RSPEC_5" in checks and any(check.startswith("CKV_AWS_") for check in checks)
