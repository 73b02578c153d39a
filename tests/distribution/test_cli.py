"""The `spectrum-guard` command: Checkov with the plugin, focused and offline by default."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkov_runner import REPO

from spectrum_guard.checkov_adapter.cli import checkov_arguments, checks_dir
from spectrum_guard.checkov_adapter.frameworks import FRAMEWORKS, frameworks_to_scan

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


ENVIRONMENT = {"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(REPO)}


def run_command(*arguments, cwd=FAILING):
    return subprocess.run([COMMAND, *arguments, "-o", "json"], capture_output=True, text=True, cwd=cwd,
                          env=ENVIRONMENT)


def check_types_and_failures(completed):
    reports = json.loads(completed.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    return {
        (report["check_type"], check["check_id"], check["resource"])
        for report in reports
        for check in report["results"]["failed_checks"]
    }


def failed_checks(completed):
    return {check_id for _, check_id, _ in check_types_and_failures(completed)}


def test_command_runs_only_spectrum_checks_by_default():
    completed = run_command()
    assert completed.returncode == 1, completed.stderr
    assert failed_checks(completed) == {"CKV_RSPEC_5"}


def test_with_builtins_adds_checkovs_checks():
    checks = failed_checks(run_command("--with-builtins"))
    assert "CKV_RSPEC_5" in checks and any(check.startswith("CKV_AWS_") for check in checks)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
PLAN = '{"format_version": "1.2", "terraform_version": "1.11.0", "planned_values": {"root_module": {}}}'


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"stack.yaml": TEMPLATE}, ["cloudformation"]),
        ({"cdk.out/App.template.json": '{"Resources": {}}'}, ["cloudformation"]),
        ({"main.tf": "", "tfplan.json": PLAN}, ["terraform", "terraform_plan"]),
        ({"main.tf": "", "policies/read.json": '{"Version": "2012-10-17"}'}, ["terraform"]),
        # Checkov's Terraform parser reads a .tf.json file given with -f.
        ({"main.tf.json": '{"resource": {}}', "stack.yaml": TEMPLATE}, ["terraform", "cloudformation"]),
        ({"main.tf": "", "stack.template": TEMPLATE}, ["terraform", "cloudformation"]),
        # Directories Checkov never walks into by default.
        (
            {"stack.yaml": TEMPLATE, "node_modules/m/main.tf": "", ".terraform/modules/x/main.tf": ""},
            ["cloudformation"],
        ),
        ({"stack.yaml": TEMPLATE, ".hidden/tfplan.json": PLAN}, ["cloudformation"]),
        # Nothing any of them reads: leave Checkov to say so.
        ({"README.md": "", "policy.json": "{}"}, list(FRAMEWORKS)),
    ],
)
def test_only_the_frameworks_the_files_may_hold_are_run(tmp_path, files, expected):
    for name, text in files.items():
        write(tmp_path / name, text)
    assert frameworks_to_scan([str(tmp_path)], [], {}) == expected


def test_checkovs_switches_for_skipped_directories_are_followed(tmp_path):
    write(tmp_path / "stack.yaml", TEMPLATE)
    write(tmp_path / ".hidden" / "main.tf", "")
    write(tmp_path / "vendor" / "tfplan.json", PLAN)
    environ = {"CKV_IGNORE_HIDDEN_DIRECTORIES": "false", "CKV_IGNORED_DIRECTORIES": "vendor"}
    assert frameworks_to_scan([str(tmp_path)], [], environ) == ["terraform", "cloudformation"]


def test_files_given_count_and_unreadable_ones_are_kept(tmp_path):
    assert frameworks_to_scan([], [str(tmp_path / "missing.json")], {}) == ["terraform_plan", "cloudformation"]
    write(tmp_path / "tfplan.json", PLAN)
    assert frameworks_to_scan([str(tmp_path / "empty")], [str(tmp_path / "tfplan.json")], {}) == ["terraform_plan"]


def test_every_framework_of_a_mixed_tree_is_scanned(tmp_path):
    shutil.copytree(REPO / "terraform_examples" / "plan" / "role_trust", tmp_path / "plan")
    shutil.copytree(REPO / "cloudformation_examples" / "role_trust", tmp_path / "cloudformation")
    completed = run_command("-d", str(tmp_path), cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert {check_type for check_type, _, _ in check_types_and_failures(completed)} == set(FRAMEWORKS)


def test_a_tree_of_one_kind_gives_the_results_of_all_three_frameworks(tmp_path):
    shutil.copytree(REPO / "cloudformation_examples" / "role_trust", tmp_path / "cloudformation")
    focused = run_command("-d", str(tmp_path), cwd=tmp_path)
    checkov = subprocess.run(
        [str(Path(sys.executable).with_name("checkov")), "-d", str(tmp_path), "-o", "json", "--skip-download",
         "--framework", *FRAMEWORKS, "--check", "CKV_RSPEC_*", "--external-checks-dir", str(checks_dir())],
        capture_output=True, text=True, env=ENVIRONMENT,
    )
    assert focused.returncode == checkov.returncode == 1, focused.stderr + checkov.stderr
    assert check_types_and_failures(focused) == check_types_and_failures(checkov)
    assert {check_type for check_type, _, _ in check_types_and_failures(focused)} == {"cloudformation"}
