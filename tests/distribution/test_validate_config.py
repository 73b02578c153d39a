"""`spectrum-guard validate-config`: a bad key or value is reported with the file, the line and the reason."""
from spectrum_guard.checkov_adapter.cli import main
from spectrum_guard.config import line_of

CONFIGURATION = """\
spectrum_buckets:
  - acme-lake
  - name: acme-raw
    reader: dedicated
signature_age_threshold_ms: 3600000
"""


def test_a_bad_value_names_file_line_key_and_reason(tmp_path, capsys):
    path = tmp_path / ".spectrum-guard.yaml"
    path.write_text(CONFIGURATION)
    assert main(["validate-config", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{path}:4: spectrum_buckets[1].reader: must be provisioned or serverless, not 'dedicated'"
    )


def test_an_unknown_setting_is_reported_on_its_line(tmp_path, capsys):
    path = tmp_path / "config.yaml"
    path.write_text("signature_age_threshold_ms: 3600000\nspectrum_bucket: [acme-lake]\n")
    assert main(["validate-config", str(path)]) == 1
    assert capsys.readouterr().err.startswith(f"{path}:2: spectrum_bucket: is not a setting")


def test_a_valid_file_found_like_a_scan_would(tmp_path, capsys, monkeypatch):
    (tmp_path / ".spectrum-guard.yaml").write_text("spectrum_buckets: [acme-lake]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SPECTRUM_GUARD_CONFIG", raising=False)
    assert main(["validate-config"]) == 0
    assert "valid (1 Spectrum buckets, 0 Spectrum roles declared)" in capsys.readouterr().out


def test_line_of_follows_mappings_and_sequences():
    assert line_of(CONFIGURATION, "spectrum_buckets") == 1
    assert line_of(CONFIGURATION, "spectrum_buckets[0]") == 2
    assert line_of(CONFIGURATION, "spectrum_buckets[1].reader") == 4
    assert line_of(CONFIGURATION, "signature_age_threshold_ms") == 5
    assert line_of("not: [valid", "not") is None
