"""A spectrum-guard rule as a Checkov Python graph check."""
from __future__ import annotations

import logging
from typing import Any, Dict, FrozenSet, List, Tuple

from checkov.common.bridgecrew.severities import Severities
from checkov.common.graph.checks_infra.base_check import BaseGraphCheck
from checkov.common.graph.graph_builder.consts import GraphSource
from checkov.common.graph.graph_builder.graph_components.attribute_names import CustomAttributes

from spectrum_guard.checkov_adapter import details
from spectrum_guard.checkov_adapter.graph import estate_of
from spectrum_guard.estate.scenarios import Scenario
from spectrum_guard.rules import Outcome, Rule, Verdict

logger = logging.getLogger("spectrum_guard")

_VertexList = List[Dict[str, Any]]
_SEVERITY_ORDER = [Outcome.FAILED, Outcome.UNKNOWN, Outcome.PASSED]
_READ_BY_CHECKOV = frozenset(
    value for name, value in vars(CustomAttributes).items() if not name.startswith("_") and isinstance(value, str)
) | {"Tags"}


class SpectrumGraphCheck(BaseGraphCheck):
    def __init__(self, rule: Rule) -> None:
        super().__init__()
        self.rule = rule
        self.id = rule.id
        self.name = rule.name
        self.guideline = rule.guideline
        self.severity = Severities[rule.severity]
        self.category = rule.category

    def run(self, graph_connector: Any) -> Tuple[_VertexList, _VertexList, _VertexList]:
        # Checkov swallows an exception from run() and drops every result: nothing may escape.
        try:
            scanned = estate_of(graph_connector)
            judged = [(scenario, self._verdicts(estate)) for scenario, estate in scanned.estates]
        except Exception as error:  # noqa: BLE001
            logger.error("%s could not run: %r", self.id, error, exc_info=True)
            return [], [], []
        by_vertex: Dict[int, List[Tuple[Scenario, List[Verdict]]]] = {}
        for scenario, verdicts in judged:
            for vertex_index, on_vertex in verdicts.items():
                by_vertex.setdefault(vertex_index, []).append((scenario, on_vertex))
        results: Dict[Outcome, _VertexList] = {outcome: [] for outcome in Outcome}
        for vertex_index, in_scenarios in by_vertex.items():
            vertex = scanned.graph.vertex(vertex_index)
            named = scanned.conditions_of.get(vertex_index, frozenset())
            outcome, reasons, malformed = _merged(in_scenarios, len(judged), vertex.file_path, named)
            undecided = scanned.undecided.get(vertex.file_path)
            if undecided is not None:
                # Any verdict may rest on a Fn::If or a resource whose Condition is not known.
                kept = reasons if outcome is Outcome.UNKNOWN else []
                reasons = [f"the conditions of its template are not evaluated: {undecided}", *kept]
                malformed = undecided.malformed or (malformed and outcome is Outcome.UNKNOWN)
                outcome = Outcome.UNKNOWN
            results[outcome].append(_reported(vertex.attributes))
            self._report(outcome, reasons, malformed, vertex)
        return results[Outcome.PASSED], results[Outcome.FAILED], results[Outcome.UNKNOWN]

    def _verdicts(self, estate: Any) -> Dict[int, List[Verdict]]:
        verdicts: Dict[int, List[Verdict]] = {}
        for subject in list(self.rule.subjects(estate)):
            verdict = self._judge(subject, estate)
            verdicts.setdefault(verdict.subject.vertex_index, []).append(verdict)
        return verdicts

    def _judge(self, subject: Any, estate: Any) -> Verdict:
        try:
            return self.rule.judge(subject, estate)
        except Exception as error:  # noqa: BLE001 - one bad resource must not hide the others
            logger.debug("%s failed on %s", self.id, subject.resource, exc_info=True)
            return Verdict(subject.resource, Outcome.UNKNOWN, f"internal error: {error!r}", malformed=True)

    def _report(self, outcome: Outcome, reasons: List[str], malformed: bool, vertex: Any) -> None:
        if outcome is Outcome.FAILED:
            names = (vertex.address, str(vertex.attributes.get("block_name_", "")))
            details.file_message(self.id, vertex.file_path, names, " ".join(reasons))
        elif outcome is Outcome.UNKNOWN:
            level = logging.ERROR if malformed else logging.WARNING
            for reason in reasons:
                logger.log(level, "%s UNKNOWN for %s (%s): %s", self.id, vertex.address, vertex.file_path, reason)


def _merged(
    in_scenarios: List[Tuple[Scenario, List[Verdict]]],
    scenario_count: int,
    file_path: str,
    conditions: FrozenSet[str],
) -> Tuple[Outcome, List[str], bool]:
    """The worst verdict any scenario reaches on a resource (Checkov expects one result per resource and check),
    with all its reasons; each says in which scenarios it holds, by the `conditions` the resource names, unless
    it holds in all of them."""
    worst = [(scenario, _worst(verdicts), verdicts) for scenario, verdicts in in_scenarios]
    outcome = min((scenario_outcome for _, scenario_outcome, _ in worst), key=_SEVERITY_ORDER.index)
    holding = [(scenario, verdicts) for scenario, scenario_outcome, verdicts in worst if scenario_outcome is outcome]
    scenarios_by_reason: Dict[str, List[str]] = {}
    for scenario, verdicts in holding:
        for verdict in verdicts:
            if verdict.outcome is outcome:
                scenarios_by_reason.setdefault(verdict.reason, []).append(scenario.describe(file_path, conditions))
    everywhere = len(holding) == scenario_count
    reasons = [
        reason if everywhere else f"When {' or when '.join(dict.fromkeys(described))}: {reason}"
        for reason, described in scenarios_by_reason.items()
    ]
    malformed = any(verdict.malformed for _, verdicts in holding for verdict in verdicts if verdict.outcome is outcome)
    return outcome, reasons, malformed


def _worst(verdicts: List[Verdict]) -> Outcome:
    return min((verdict.outcome for verdict in verdicts), key=_SEVERITY_ORDER.index)


def _reported(attributes: Dict[str, Any]) -> Dict[str, Any]:
    """What Checkov's runners read from a graph-check result's entity: its own attributes (block name, type and
    file, id, Terraform address and modules, `config_`...) and a CloudFormation resource's `Tags`.

    Checkov deep-copies every result's entity and keeps the copy in its report, which prints it whole for
    CloudFormation. The resource's properties (top level, flattened as "Policies.0.PolicyDocument..." and again
    in `config_`), copied for each of up to nine results per resource, were most of the plugin's memory
    overhead (docs/performance.md). Terraform's runner reports an entity by its `config_`; CloudFormation's reads
    no config and reports the resource's code lines, so a CloudFormation entity keeps none.
    """
    kept = {key: value for key, value in attributes.items() if key in _READ_BY_CHECKOV}
    if attributes.get(CustomAttributes.SOURCE) == GraphSource.CLOUDFORMATION:
        kept.pop(CustomAttributes.CONFIG, None)
    return kept
