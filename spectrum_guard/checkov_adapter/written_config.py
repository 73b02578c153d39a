"""Keep each CloudFormation vertex's config as written, before Checkov renders it.

Checkov's CloudFormation graph replaces a `Ref` to a parameter by its Default, substitutes defaults into
Fn::Sub and picks a Fn::If branch by them: guesses about one deployment, which it writes into the vertex's
config. Just before it does, the wrapper below keeps the config as written in the vertex's attributes, where
the estate reads it (estate/vertices.py). Checkov builds the graph after loading the external checks, so
importing this module in time installs the wrapper.
"""
from __future__ import annotations

from typing import Any

from checkov.cloudformation.graph_builder.local_graph import CloudformationLocalGraph

from spectrum_guard.estate.graph import WRITTEN_CONFIG, WrittenConfig


def _install() -> None:
    # compatibility.py has made sure the method exists.
    rendering = CloudformationLocalGraph.update_vertices_configs
    if getattr(rendering, "_spectrum_guard", False):
        return

    def update_vertices_configs(self: Any) -> None:
        for vertex in getattr(self, "vertices", ()):
            if getattr(vertex, "changed_attributes", None) and isinstance(vertex.config, dict):
                # Checkov renders more than once: the first config is the one as written.
                vertex.attributes.setdefault(WRITTEN_CONFIG, WrittenConfig(vertex.config))
        rendering(self)

    update_vertices_configs._spectrum_guard = True  # type: ignore[attr-defined]
    CloudformationLocalGraph.update_vertices_configs = update_vertices_configs  # type: ignore[method-assign]


_install()
