"""spectrum-guard: Checkov checks for the IaC mistakes that break or expose Amazon Redshift Spectrum."""

__version__ = "0.1.0"

# Each check's guideline (Checkov's "Guide:", SARIF's helpUri) is this URL followed by "<check id>.md".
DOCS_BASE_URL = "https://github.com/spectrum-guard/spectrum-guard/blob/main/docs/checks/"
