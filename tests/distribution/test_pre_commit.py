"""The pre-commit hook, for real: a throwaway repository whose .pre-commit-config.yaml points at this one."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkov_runner import REPO

PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
EXAMPLES = REPO / "terraform_examples" / "role_trust"


def git(directory, *arguments):
    subprocess.run(["git", "-C", str(directory), *arguments], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"})


def committed_copy_of_this_checkout(destination):
    """This working tree as a repository of its own, so the hook tested is the code under test."""
    files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard"],
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (REPO / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, destination / name)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", "hook under test")
    return subprocess.run(["git", "-C", str(destination), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture(scope="module")
def hook(tmp_path_factory):
    hook_repo = tmp_path_factory.mktemp("hook-repo")
    revision = committed_copy_of_this_checkout(hook_repo)
    return hook_repo, revision, tmp_path_factory.mktemp("pre-commit-home")


def run_hook(hook, tmp_path, example):
    hook_repo, revision, home = hook
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / example, project)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {revision}\n    hooks:\n      - id: spectrum-guard\n"
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    # pip settings pass through: scripts/checkov-matrix.sh constrains the hook's own environment to the
    # Checkov under test with PIP_CONSTRAINT.
    pip_settings = {name: value for name, value in os.environ.items() if name.startswith("PIP_")}
    return subprocess.run([PRE_COMMIT, "run", "--all-files"], cwd=project, capture_output=True, text=True,
                          env={**pip_settings, "PRE_COMMIT_HOME": str(home),
                               "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(home)},
                          timeout=900)


def test_hook_fails_on_a_role_other_principals_may_assume(hook, tmp_path):
    completed = run_hook(hook, tmp_path, "cluster_shared_with_glue_failing")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "CKV_RSPEC_5" in completed.stdout and "aws_iam_role.lake_shared" in completed.stdout


def test_hook_passes_on_a_redshift_only_role(hook, tmp_path):
    completed = run_hook(hook, tmp_path, "cluster_jsonencode_passing")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Passed" in completed.stdout
