"""The organization_trail setting: a trail outside the scan that records S3 read data events for every bucket."""
from __future__ import annotations

import pytest

from spectrum_guard.config import Configuration, ConfigurationError, parse_configuration

PATH = "/repo/.spectrum-guard.yaml"


@pytest.mark.parametrize("trail", ["arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit", "org-audit"])
def test_an_organization_trail_by_arn_or_name(trail):
    assert parse_configuration(f"organization_trail: {trail}\n", PATH) == Configuration(
        source=PATH, organization_trail=trail
    )


def test_no_organization_trail_by_default():
    assert Configuration().organization_trail is None


@pytest.mark.parametrize("value", ["true", "'a b'", "[org-audit]", "{name: org-audit}", "x", "''"])
def test_anything_else_is_an_error(value):
    with pytest.raises(ConfigurationError) as raised:
        parse_configuration(f"organization_trail: {value}\n", PATH)
    assert raised.value.key == "organization_trail"
    assert "the ARN or name of a trail" in raised.value.problem
