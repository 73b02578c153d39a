"""A spectrum-guard rule as a Checkov Python graph check."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Tuple

from checkov.common.bridgecrew.severities import Severities
from checkov.common.graph.checks_infra.base_check import BaseGraphCheck

from spectrum_guard.checkov_adapter import details
from spectrum_guard.checkov_adapter.graph import estate_of
from spectrum_guard.rules import Outcome, Rule, Verdict

logger = logging.getLogger("spectrum_guard")

_VertexList = List[Dict[str, Any]]
_SEVERITY_ORDER = [Outcome.FAILED, Outcome.UNKNOWN, Outcome.PASSED]


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
            graph, estate = estate_of(graph_connector)
            subjects = list(self.rule.subjects(estate))
        except Exception as error:  # noqa: BLE001
            logger.error("%s could not run: %r", self.id, error, exc_info=True)
            return [], [], []
        verdicts: Dict[int, List[Verdict]] = {}
        for subject in subjects:
            verdict = self._judge(subject, estate)
            verdicts.setdefault(verdict.subject.vertex_index, []).append(verdict)
        results: Dict[Outcome, _VertexList] = {outcome: [] for outcome in Outcome}
        for vertex_index, on_vertex in verdicts.items():
            # Checkov expects one result per resource and check: the worst verdict stands, with all its reasons.
            outcome = min((verdict.outcome for verdict in on_vertex), key=_SEVERITY_ORDER.index)
            vertex = graph.vertex(vertex_index)
            results[outcome].append(_reported(vertex.attributes))
            self._report(outcome, [verdict for verdict in on_vertex if verdict.outcome is outcome], vertex)
        return results[Outcome.PASSED], results[Outcome.FAILED], results[Outcome.UNKNOWN]

    def _judge(self, subject: Any, estate: Any) -> Verdict:
        try:
            return self.rule.judge(subject, estate)
        except Exception as error:  # noqa: BLE001 - one bad resource must not hide the others
            logger.debug("%s failed on %s", self.id, subject.resource, exc_info=True)
            return Verdict(subject.resource, Outcome.UNKNOWN, f"internal error: {error!r}", malformed=True)

    def _report(self, outcome: Outcome, verdicts: List[Verdict], vertex: Any) -> None:
        reasons = list(dict.fromkeys(verdict.reason for verdict in verdicts))
        if outcome is Outcome.FAILED:
            names = (vertex.address, str(vertex.attributes.get("block_name_", "")))
            details.file_message(self.id, vertex.file_path, names, " ".join(reasons))
        elif outcome is Outcome.UNKNOWN:
            level = logging.ERROR if any(verdict.malformed for verdict in verdicts) else logging.WARNING
            for reason in reasons:
                logger.log(level, "%s UNKNOWN for %s (%s): %s", self.id, vertex.address, vertex.file_path, reason)


def _reported(attributes: Dict[str, Any]) -> Dict[str, Any]:
    """The vertex attributes without the flattened copies of nested values ("Policies.0.PolicyDocument...").

    Checkov keeps each result's attributes in its report (CloudFormation records print them whole), so for a
    role with inline policies the copies cost memory and output in proportion to the policies. Every
    top-level attribute, the configuration and Checkov's own attributes stay.
    """
    return {key: value for key, value in attributes.items() if not _is_flattened_copy(key, attributes)}


def _is_flattened_copy(key: Any, attributes: Dict[str, Any]) -> bool:
    return isinstance(key, str) and "." in key and key.split(".", 1)[0] in attributes
