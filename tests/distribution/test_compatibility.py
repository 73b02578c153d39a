import pytest

from spectrum_guard.checkov_adapter import compatibility


def test_the_installed_checkov_is_supported():
    compatibility.require_supported_checkov()


def test_a_moved_internal_is_a_clear_error_at_load_time(monkeypatch):
    monkeypatch.setattr(
        compatibility, "_METHODS",
        compatibility._METHODS + (("checkov.common.output.report", "Report", "add_record_v2"),),
    )
    with pytest.raises(compatibility.IncompatibleCheckov) as raised:
        compatibility.require_supported_checkov()
    message = str(raised.value)
    assert "checkov.common.output.report.Report.add_record_v2" in message
    assert compatibility.SUPPORTED_CHECKOV in message and "pip install" in message


def test_supported_range_matches_the_package_requirement():
    from importlib.metadata import requires

    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    [checkov] = [Requirement(text) for text in requires("spectrum-guard") if Requirement(text).name == "checkov"]
    assert checkov.specifier == SpecifierSet(compatibility.SUPPORTED_CHECKOV)
