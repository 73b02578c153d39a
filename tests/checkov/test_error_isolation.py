"""A check that meets a resource it cannot handle logs an ERROR for it and still reports every other resource.

Runs Checkov's Terraform runner in this process, so that a rule can be made to fail on purpose.
"""
import dataclasses
import logging

import pytest
from checkov.common.checks_infra.registry import get_graph_checks_registry
from checkov.runner_filter import RunnerFilter
from checkov.terraform.runner import Runner

from checkov_runner import CHECKS_DIR, REPO

from spectrum_guard.checkov_adapter import register_checks
from spectrum_guard.checkov_adapter.graph_check import SpectrumGraphCheck

EXAMPLES = REPO / "terraform_examples" / "role_trust"


def run_role_trust():
    runner_filter = RunnerFilter(framework=["terraform"], checks=["CKV_RSPEC_5"], download_external_modules=False)
    report = Runner().run(root_folder=str(EXAMPLES), external_checks_dir=[str(CHECKS_DIR)], runner_filter=runner_filter)
    return {
        (record.resource, record.check_result["result"].name)
        for record in report.passed_checks + report.failed_checks
        if record.check_id == "CKV_RSPEC_5"
    }


@pytest.fixture
def role_trust_check(monkeypatch):
    register_checks()
    [check] = [check for check in get_graph_checks_registry("terraform").checks if check.id == "CKV_RSPEC_5"]
    assert isinstance(check, SpectrumGraphCheck)
    return check


def test_registration_is_idempotent():
    register_checks()
    register_checks()
    for framework in ("terraform", "cloudformation"):
        ids = [check.id for check in get_graph_checks_registry(framework).checks]
        assert ids.count("CKV_RSPEC_5") == 1


def test_a_crash_on_one_resource_is_logged_and_spares_the_others(role_trust_check, monkeypatch, caplog):
    rule = role_trust_check.rule

    def judge_failing_on_lake_shared(role, estate):
        if role.resource.address == "aws_iam_role.lake_shared":
            raise RuntimeError("simulated defect")
        return rule.judge(role, estate)

    monkeypatch.setattr(role_trust_check, "rule", dataclasses.replace(rule, judge=judge_failing_on_lake_shared))
    with caplog.at_level(logging.WARNING, logger="spectrum_guard"):
        results = run_role_trust()

    assert ("aws_iam_role.lake_shared", "FAILED") not in results
    assert results == {
        ("aws_iam_role.spectrum", "PASSED"),
        ("aws_iam_role.spectrum", "FAILED"),
        ("aws_iam_role.audit", "PASSED"),
        ("aws_iam_role.lakehouse", "PASSED"),
        ("aws_iam_role.data_science", "FAILED"),
    }
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert errors == [
        "CKV_RSPEC_5 UNKNOWN for aws_iam_role.lake_shared "
        f"({EXAMPLES / 'cluster_shared_with_glue_failing' / 'main.tf'}): "
        "internal error: RuntimeError('simulated defect')"
    ]


def test_a_crash_before_any_resource_is_logged(role_trust_check, monkeypatch, caplog):
    def subjects_failing(estate):
        raise RuntimeError("simulated defect")

    monkeypatch.setattr(role_trust_check, "rule", dataclasses.replace(role_trust_check.rule, subjects=subjects_failing))
    with caplog.at_level(logging.WARNING, logger="spectrum_guard"):
        assert run_role_trust() == set()
    assert any(
        record.levelno == logging.ERROR and record.getMessage().startswith("CKV_RSPEC_5 could not run")
        for record in caplog.records
    )


def test_a_graphs_estates_are_dropped_once_its_checks_have_run(monkeypatch):
    """They would otherwise hold memory through Checkov's report (docs/performance.md)."""
    from spectrum_guard.checkov_adapter import graph as adapter_graph

    built = []
    estate_of = adapter_graph.estate_of

    def recording_estate_of(graph_connector):
        scanned = estate_of(graph_connector)
        built.append(id(graph_connector))
        return scanned

    monkeypatch.setattr(adapter_graph, "estate_of", recording_estate_of)
    monkeypatch.setattr("spectrum_guard.checkov_adapter.estate_of", recording_estate_of)
    monkeypatch.setattr("spectrum_guard.checkov_adapter.graph_check.estate_of", recording_estate_of)
    assert run_role_trust()
    assert built
    assert not set(built) & set(adapter_graph._built)
