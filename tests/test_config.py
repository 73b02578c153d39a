from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from spectrum_guard.config import (
    ENVIRONMENT_VARIABLE,
    FILE_NAME,
    Configuration,
    ConfigurationError,
    DeclaredBucket,
    DeclaredRole,
    load_configuration,
    locate_configuration,
    parse_configuration,
)

PATH = "/repo/.spectrum-guard.yaml"


def test_every_setting():
    text = """
spectrum_buckets:
  - acme-raw
  - name: "acme-lake-*"
    reader: serverless
  - {name: partner-share, account: "111122223333"}
spectrum_roles:
  - arn:aws:iam::123456789012:role/analytics-spectrum
  - {arn: "arn:aws:iam::123456789012:role/lakehouse", reader: serverless}
signature_age_threshold_ms: 900000
"""
    assert parse_configuration(text, PATH) == Configuration(
        source=PATH,
        spectrum_buckets=(
            DeclaredBucket("acme-raw"),
            DeclaredBucket("acme-lake-*", reader="serverless"),
            DeclaredBucket("partner-share", account="111122223333"),
        ),
        spectrum_roles=(
            DeclaredRole("arn:aws:iam::123456789012:role/analytics-spectrum"),
            DeclaredRole("arn:aws:iam::123456789012:role/lakehouse", reader="serverless"),
        ),
        signature_age_threshold_ms=900000,
    )


@pytest.mark.parametrize("text", ["", "# nothing configured\n", "{}"])
def test_an_empty_file_gives_the_defaults(text):
    assert parse_configuration(text, PATH) == Configuration(source=PATH)
    assert Configuration().signature_age_threshold_ms == 3_600_000


@pytest.mark.parametrize(
    "text, key, problem",
    [
        ("spectrum_bucket: [a]", "spectrum_bucket", "is not a setting"),
        ("- a\n- b", "(file)", "must be a mapping"),
        ("spectrum_buckets: [a", "(file)", "is not valid YAML (line 1"),
        ("spectrum_buckets: acme-lake", "spectrum_buckets", "must be a list"),
        ("spectrum_buckets: [Acme_Lake]", "spectrum_buckets[0]", "must be a bucket name or glob"),
        ("spectrum_buckets: [{reader: serverless}]", "spectrum_buckets[0]", "has no name"),
        ("spectrum_buckets: [{name: a, reader: vpc}]", "spectrum_buckets[0].reader",
         "must be provisioned or serverless"),
        ("spectrum_buckets: [{name: a, acount: '1'}]", "spectrum_buckets[0].acount", "is not a field"),
        ("spectrum_buckets: [{name: a, account: 111122223333}]", "spectrum_buckets[0].account", "quoted 12-digit"),
        ("spectrum_roles: [arn:aws:iam::1:role/x]", "spectrum_roles[0]", "must be a role ARN"),
        ("spectrum_roles: [{arn: 'arn:aws:iam::123456789012:user/x'}]", "spectrum_roles[0].arn", "must be a role ARN"),
        ("signature_age_threshold_ms: '3600000'", "signature_age_threshold_ms", "whole number"),
        ("signature_age_threshold_ms: true", "signature_age_threshold_ms", "whole number"),
        ("signature_age_threshold_ms: 0", "signature_age_threshold_ms", "whole number"),
        ("signature_age_threshold_ms: 604800001", "signature_age_threshold_ms", "whole number"),
    ],
)
def test_errors_name_the_file_the_key_and_the_problem(text, key, problem):
    with pytest.raises(ConfigurationError) as raised:
        parse_configuration(text, PATH)
    assert (raised.value.path, raised.value.key) == (PATH, key)
    assert problem in raised.value.problem
    assert str(raised.value).startswith(f"invalid spectrum-guard configuration {PATH}: {key}: ")


def test_the_error_survives_pickling_between_processes():
    error = ConfigurationError(PATH, "spectrum_roles[0]", "must be a role ARN")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy)) == (ConfigurationError, str(error))


def test_only_safe_yaml_is_read():
    with pytest.raises(ConfigurationError, match="not valid YAML"):
        parse_configuration("spectrum_roles: !!python/object/apply:os.system ['true']", PATH)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigurationError, match="cannot be read"):
        load_configuration(str(tmp_path / "missing.yaml"))


def test_the_environment_variable_names_the_file(tmp_path):
    assert locate_configuration([str(tmp_path / "main.tf")], {ENVIRONMENT_VARIABLE: "/etc/sg.yaml"}) == "/etc/sg.yaml"


def test_the_nearest_file_above_the_scanned_files_up_to_the_repository_root(tmp_path):
    repository = tmp_path / "repository"
    (repository / ".git").mkdir(parents=True)
    stacks = repository / "stacks"
    (stacks / "lake").mkdir(parents=True)
    (stacks / "cluster").mkdir()
    scanned = [str(stacks / "lake" / "main.tf"), str(stacks / "cluster" / "main.tf")]
    assert locate_configuration(scanned, {}) is None
    (tmp_path / FILE_NAME).write_text("{}")  # above the repository root: not this repository's
    assert locate_configuration(scanned, {}) is None
    (repository / FILE_NAME).write_text("{}")
    assert locate_configuration(scanned, {}) == str(repository / FILE_NAME)
    (stacks / FILE_NAME).write_text("{}")
    assert locate_configuration(scanned, {}) == str(stacks / FILE_NAME)
    # A file beside only some of the scanned files does not apply to the scan.
    (stacks / "lake" / FILE_NAME).write_text("{}")
    assert locate_configuration(scanned, {}) == str(stacks / FILE_NAME)
    assert locate_configuration([], {}) is None


def test_the_readme_example_is_valid():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = readme.split("# .spectrum-guard.yaml\n", 1)[1].split("```", 1)[0]
    configuration = parse_configuration(example, "README.md")
    assert [bucket.name for bucket in configuration.spectrum_buckets] == [
        "acme-raw", "acme-lakehouse-*", "partner-share"
    ]
    assert len(configuration.spectrum_roles) == 2
