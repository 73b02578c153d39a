"""Layer 4: the only code that touches Checkov. Registers every rule as a graph check."""
from __future__ import annotations

import logging
import threading
from typing import Any

from spectrum_guard.checkov_adapter.compatibility import require_supported_checkov

require_supported_checkov()

from checkov.common.checks_infra.registry import get_graph_checks_registry  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402

from spectrum_guard.checkov_adapter import details  # noqa: F401 - importing it installs the output wrappers
from spectrum_guard.checkov_adapter import written_config  # noqa: F401 - importing it installs the wrapper
from spectrum_guard.checkov_adapter.graph import estate_of, forget
from spectrum_guard.checkov_adapter.graph_check import SpectrumGraphCheck
from spectrum_guard.config import ConfigurationError
from spectrum_guard.rules import ALL_RULES

logger = logging.getLogger("spectrum_guard")

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
            _validate_configuration_first(registry)
        for rule in ALL_RULES:
            RunnerFilter.notify_external_check(rule.id)


def _validate_configuration_first(registry: Any) -> None:
    """An invalid configuration must stop the scan. Checkov swallows whatever a graph check raises, but not
    what its registry's run_checks raises: in the runner, that reaches Checkov's main loop, which logs it and
    exits with code 2, whether the runner ran in a forked process, a thread or inline."""
    if getattr(registry.run_checks, "_spectrum_guard", False):
        return
    run_checks = registry.run_checks

    def validated_run_checks(graph_connector: Any, runner_filter: Any, report_type: str) -> Any:
        ours = [check for check in registry.checks if isinstance(check, SpectrumGraphCheck)]
        if any(runner_filter.should_run_check(check, report_type=report_type) for check in ours):
            try:
                estate_of(graph_connector)
            except ConfigurationError as error:
                logger.error("%s. The scan stops.", error)
                raise
            except Exception:  # noqa: BLE001 - every check reports its own failure to build the estate
                pass
        try:
            return run_checks(graph_connector, runner_filter, report_type)
        finally:
            forget(graph_connector)

    validated_run_checks._spectrum_guard = True  # type: ignore[attr-defined]
    registry.run_checks = validated_run_checks
