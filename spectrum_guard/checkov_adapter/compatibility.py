"""Refuse to load into a Checkov whose internals this adapter does not know.

The adapter relies on undocumented Checkov internals. If a release moves one, the plugin must fail
at load time with a message that says so, rather than run and silently report nothing.
"""
from __future__ import annotations

import importlib
import logging
from importlib.metadata import PackageNotFoundError, version

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

logger = logging.getLogger("spectrum_guard")

# The oldest and newest ends are tested by scripts/checkov-matrix.sh; CI tests only the release pip picks.
SUPPORTED_CHECKOV = ">=3.3.28,<3.4"

# (module, attribute) pairs the adapter uses; a callable attribute must still be callable.
_INTERNALS = (
    ("checkov.common.checks_infra.registry", "get_graph_checks_registry"),
    ("checkov.common.graph.checks_infra.base_check", "BaseGraphCheck"),
    ("checkov.common.bridgecrew.severities", "Severities"),
    ("checkov.runner_filter", "RunnerFilter"),
    ("checkov.common.output.report", "Report"),
    ("checkov.common.output.record", "Record"),
    ("checkov.common.output.graph_record", "GraphRecord"),
    ("checkov.common.output.sarif", "Sarif"),
)
_METHODS = (
    ("checkov.runner_filter", "RunnerFilter", "notify_external_check"),
    ("checkov.common.graph.checks_infra.base_check", "BaseGraphCheck", "run"),
    ("checkov.common.output.report", "Report", "add_record"),
    ("checkov.common.output.sarif", "Sarif", "_create_results"),
    # Wrapped to keep CloudFormation configs as written (see written_config.py).
    ("checkov.cloudformation.graph_builder.local_graph", "CloudformationLocalGraph", "update_vertices_configs"),
    # Wrapped to stop the scan on an invalid configuration file (see register_checks).
    ("checkov.common.graph.checks_infra.registry", "BaseRegistry", "run_checks"),
)
# Not checkable at load time, so not listed above: the graph a graph check's run() receives (graph.py reads
# each shape). rustworkx (the default): node payloads (index, attributes), edge data {"label": ...}.
# networkx (CHECKOV_GRAPH_FRAMEWORK=NETWORKX): node data is the attributes, edge data {"label": ...}.


class IncompatibleCheckov(ImportError):
    pass


def require_supported_checkov() -> None:
    _require_supported_release(_installed())
    missing = [f"{module}.{name}" for module, name in _INTERNALS if not _has(module, name)]
    missing += [f"{module}.{owner}.{method}" for module, owner, method in _METHODS if not _has(module, owner, method)]
    if missing:
        raise IncompatibleCheckov(
            f"spectrum-guard supports Checkov {SUPPORTED_CHECKOV}, but the installed Checkov {_installed()} "
            f"lacks {', '.join(missing)}. Install a supported Checkov: pip install 'checkov{SUPPORTED_CHECKOV}'"
        )


def _require_supported_release(installed: str) -> None:
    """Releases before the range load the checks but give wrong results, so they are refused; later ones
    are only untested, so they run with a warning (the internals check above still guards them)."""
    try:
        release = Version(installed)
    except InvalidVersion:
        return
    if release in SpecifierSet(SUPPORTED_CHECKOV):
        return
    if any(release < Version(spec.version) for spec in SpecifierSet(SUPPORTED_CHECKOV) if spec.operator == ">="):
        raise IncompatibleCheckov(
            f"spectrum-guard supports Checkov {SUPPORTED_CHECKOV}; the installed Checkov {installed} links "
            "for_each and module references differently and would give wrong CKV_RSPEC results. "
            f"Install a supported Checkov: pip install 'checkov{SUPPORTED_CHECKOV}'"
        )
    logger.warning(
        "spectrum-guard is tested with Checkov %s, not with the installed %s: report wrong results as a bug.",
        SUPPORTED_CHECKOV,
        installed,
    )


def _has(module_name: str, *path: str) -> bool:
    try:
        target = importlib.import_module(module_name)
    except ImportError:
        return False
    for name in path:
        target = getattr(target, name, None)
        if target is None:
            return False
    return True


def _installed() -> str:
    try:
        return version("checkov")
    except PackageNotFoundError:
        return "(version unknown)"
