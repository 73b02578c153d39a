"""One Checkov run per example tree, shared by every test module that asserts on the examples."""
import pytest

from checkov_runner import REPO, scan


@pytest.fixture(scope="session")
def terraform_examples_scan():
    return scan(
        "-d", str(REPO / "terraform_examples"), "--check", "CKV_RSPEC_*", frameworks=("terraform", "terraform_plan")
    )


@pytest.fixture(scope="session")
def cloudformation_examples_scan():
    return scan("-d", str(REPO / "cloudformation_examples"), "--check", "CKV_RSPEC_*", frameworks=("cloudformation",))
