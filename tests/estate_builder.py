"""Build an Estate in-process from Terraform or CloudFormation text, or a plan file, through Checkov's own graph
builders."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Tuple

from checkov.cloudformation.graph_manager import CloudformationGraphManager
from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector
from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph
from checkov.runner_filter import RunnerFilter
from checkov.terraform.graph_manager import TerraformGraphManager
from checkov.terraform.plan_utils import create_definitions

from spectrum_guard.checkov_adapter.graph import _vertices_and_edges
from spectrum_guard.config import Configuration
from spectrum_guard.estate import Estate, ResourceGraph, build_estate


def terraform_estate(
    directory: Path, text: str, configuration: Configuration = Configuration()
) -> Tuple[ResourceGraph, Estate]:
    (directory / "main.tf").write_text(text)
    manager = TerraformGraphManager(db_connector=RustworkxConnector())
    local_graph, _ = manager.build_graph_from_source_directory(str(directory), local_graph_class=TerraformLocalGraph)
    return _estate(manager.save_graph(local_graph), configuration)


def cloudformation_estate(
    directory: Path, text: str, configuration: Configuration = Configuration()
) -> Tuple[ResourceGraph, Estate]:
    (directory / "template.yaml").write_text(text)
    manager = CloudformationGraphManager(db_connector=RustworkxConnector())
    local_graph, _ = manager.build_graph_from_source_directory(str(directory), render_variables=True)
    return _estate(manager.save_graph(local_graph), configuration)


def plan_estate(plan: Path, configuration: Configuration = Configuration()) -> Tuple[ResourceGraph, Estate]:
    definitions, _ = create_definitions(None, [str(plan)], RunnerFilter(), {})
    manager = TerraformGraphManager(db_connector=RustworkxConnector())
    return _estate(manager.save_graph(manager.build_graph_from_definitions(definitions, render_variables=False)),
                   configuration)


def _estate(connector: object, configuration: Configuration) -> Tuple[ResourceGraph, Estate]:
    graph = ResourceGraph(*_vertices_and_edges(connector))
    return graph, build_estate(graph, configuration)


def terraform_tree_estate(directory: Path, files: Dict[str, str]) -> Tuple[ResourceGraph, Estate]:
    """An estate of several Terraform files, by path relative to `directory` (modules in subdirectories)."""
    for relative, text in files.items():
        (directory / relative).parent.mkdir(parents=True, exist_ok=True)
        (directory / relative).write_text(text)
    manager = TerraformGraphManager(db_connector=RustworkxConnector())
    local_graph, _ = manager.build_graph_from_source_directory(str(directory), local_graph_class=TerraformLocalGraph)
    return _estate(manager.save_graph(local_graph), Configuration())
