#!/usr/bin/env python3
"""Where spectrum-guard's time goes on a generated estate, phase by phase, and how it grows with N.

Builds Checkov's graph of a generated estate in-process (not timed), then times reading it, evaluating its
CloudFormation conditions into scenarios, building the estate and each rule (finding its subjects and judging
them) in thread CPU time, at each size. A phase whose time per resource grows with N is super-linear.
--profile writes a cProfile dump of the largest size.

    python benchmarks/profile_rules.py --framework cloudformation --sizes 2000 8000
"""
from __future__ import annotations

import argparse
import cProfile
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from checkov.cloudformation.graph_manager import CloudformationGraphManager  # noqa: E402
from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector  # noqa: E402
from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph  # noqa: E402
from checkov.terraform.graph_manager import TerraformGraphManager  # noqa: E402

from benchmarks.generate import generate  # noqa: E402
from spectrum_guard.checkov_adapter.graph import _vertices_and_edges  # noqa: E402
from spectrum_guard.config import Configuration  # noqa: E402
from spectrum_guard.estate import ResourceGraph, build_estate  # noqa: E402
from spectrum_guard.estate.scenarios import scenarios  # noqa: E402
from spectrum_guard.rules import ALL_RULES  # noqa: E402


def checkov_graph(framework: str, tree: Path) -> Any:
    if framework == "terraform":
        manager = TerraformGraphManager(db_connector=RustworkxConnector())
        local_graph, _ = manager.build_graph_from_source_directory(str(tree), local_graph_class=TerraformLocalGraph)
    else:
        manager = CloudformationGraphManager(db_connector=RustworkxConnector())
        local_graph, _ = manager.build_graph_from_source_directory(str(tree), render_variables=True)
    return manager.save_graph(local_graph)


def timed(work: Callable[[], Any]) -> tuple:
    started = time.thread_time()
    result = work()
    return result, time.thread_time() - started


def phases(connector: Any) -> Dict[str, float]:
    """Thread CPU seconds of each phase the checks go through."""
    seconds: Dict[str, float] = {}
    (vertices, edges), seconds["graph"] = timed(lambda: _vertices_and_edges(connector))
    # The generated estate has no CloudFormation conditions: one scenario, as the adapter builds it.
    [scenario], seconds["scenarios"] = timed(lambda: scenarios(vertices, edges).graphs)
    estate, seconds["estate"] = timed(
        lambda: build_estate(ResourceGraph(scenario.vertices, scenario.edges), Configuration())
    )
    for rule in ALL_RULES:
        _, seconds[rule.id] = timed(lambda: [rule.judge(subject, estate) for subject in rule.subjects(estate)])
    return seconds


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", choices=("terraform", "cloudformation"), required=True)
    parser.add_argument("--sizes", nargs="+", type=int, default=[2000, 8000])
    parser.add_argument("--profile", type=Path, help="write a cProfile dump of the largest size here")
    parser.add_argument("--glue-only", action="store_true", help="the estate shape of generate.py --glue-only")
    arguments = parser.parse_args(argv)
    rows: List[Dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="spectrum-guard-profile-") as temporary:
        for size in sorted(arguments.sizes):
            tree = Path(temporary) / str(size)
            generate(arguments.framework, size, tree, arguments.glue_only)
            connector = checkov_graph(arguments.framework, tree)
            rows.append({"resources": size, **phases(connector)})
            if arguments.profile and size == max(arguments.sizes):
                cProfile.runctx("phases(connector)", globals(), {"connector": connector}, str(arguments.profile))
    names = [name for name in rows[0] if name != "resources"]
    print("phase      " + "".join(f"{row['resources']:>10} " for row in rows) + "  µs per resource")
    for name in names:
        per_resource = " ".join(f"{row[name] / row['resources'] * 1e6:7.1f}" for row in rows)
        print(f"{name:<10} " + "".join(f"{row[name]:>9.3f}s " for row in rows) + "  " + per_resource)
    return 0


if __name__ == "__main__":
    sys.exit(main())
