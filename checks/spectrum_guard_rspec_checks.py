"""Entry point for `checkov --external-checks-dir checks`: registers spectrum-guard's CKV_RSPEC checks.

Checkov imports this file as a top-level module, once per runner; the engine package is imported once.
"""
from spectrum_guard.checkov_adapter import register_checks

register_checks()
