"""Layer 4: the only code that touches Checkov. Registers every rule as a graph check."""
from __future__ import annotations

import threading

from spectrum_guard.checkov_adapter.compatibility import require_supported_checkov

require_supported_checkov()

from checkov.common.checks_infra.registry import get_graph_checks_registry  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402

from spectrum_guard.checkov_adapter import details  # noqa: F401 - importing it installs the output wrappers
from spectrum_guard.checkov_adapter.graph_check import SpectrumGraphCheck
from spectrum_guard.rules import ALL_RULES

# The terraform registry also serves terraform_plan.
FRAMEWORK_REGISTRIES = ("terraform", "cloudformation")

_lock = threading.Lock()


def register_checks() -> None:
    """Idempotent: Checkov loads the checks directory once per runner, in threads or forked processes."""
    with _lock:
        for framework in FRAMEWORK_REGISTRIES:
            registry = get_graph_checks_registry(framework)
            registered = {check.id for check in registry.checks}
            for rule in ALL_RULES:
                if rule.id not in registered:
                    registry.checks.append(SpectrumGraphCheck(rule))
        for rule in ALL_RULES:
            RunnerFilter.notify_external_check(rule.id)
