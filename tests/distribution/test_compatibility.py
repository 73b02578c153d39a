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


@pytest.mark.parametrize("release", ["3.3.27", "3.2.0", "2.5.0"])
def test_a_release_before_the_range_is_refused_at_load_time(monkeypatch, release):
    monkeypatch.setattr(compatibility, "_installed", lambda: release)
    with pytest.raises(compatibility.IncompatibleCheckov) as raised:
        compatibility.require_supported_checkov()
    assert release in str(raised.value) and compatibility.SUPPORTED_CHECKOV in str(raised.value)


def test_a_release_after_the_range_runs_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(compatibility, "_installed", lambda: "3.4.0")
    compatibility.require_supported_checkov()
    assert "not with the installed 3.4.0" in caplog.text


def test_a_release_inside_the_range_runs_quietly(monkeypatch, caplog):
    monkeypatch.setattr(compatibility, "_installed", lambda: "3.3.28")
    compatibility.require_supported_checkov()
    assert caplog.text == ""
