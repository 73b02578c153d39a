#!/usr/bin/env python3
"""Benchmark spectrum-guard inside Checkov on generated estates (benchmarks/generate.py).

For each framework and size, measured side by side in the same run (interleaved, or base and plugin at the same
time with --together; median of --repeat):
  base     checkov -d T --framework F                      (Checkov's built-ins only)
  plugin   the same plus --external-checks-dir (timed)     -> overhead = plugin / base - 1 (wall, peak RSS)
           and the plugin's own time (building the estate, each SpectrumGraphCheck.run), its thread CPU time
           as a fraction of the plugin run's wall time
  focused  spectrum-guard -d T (only CKV_RSPEC_*, and of its three frameworks only those the tree holds)
  plain    checkov -d T (every framework, every built-in, no plugin)  -> focused / plain
Then fits the exponent k of plugin time ~ resources^k (least squares on log-log) per framework.

    python benchmarks/run.py                      # sizes 1000 2500 5000 10000 20000, both frameworks
    python benchmarks/run.py --sizes 1000 2000 --repeat 1 --framework terraform

Peak memory is the largest resident set of Checkov's process tree, and CPU time its user + system time
(wait4 rusage of the CLI process); on a shared machine CPU ratios are steadier than wall ratios.
Writes a JSON report (--json, default benchmarks/results/latest.json) and prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402

TIMED_CHECKS = HERE / "timed_checks"
CHECKOV = str(Path(sys.executable).with_name("checkov"))
SPECTRUM_GUARD = str(Path(sys.executable).with_name("spectrum-guard"))


# What marks one CKV_RSPEC result in each output Checkov can be asked for.
RESULT_MARKERS = {"json": b'"check_id": "CKV_RSPEC_', "cli": b"Check: CKV_RSPEC_"}
OUTPUT = "json"


@dataclass
class _Running:
    arguments: Sequence[str]
    process: subprocess.Popen
    started: float
    stdout: BinaryIO
    stderr: BinaryIO
    timing_file: Optional[Path]


def start(arguments: Sequence[str], timing_file: Optional[Path] = None, program: str = CHECKOV) -> _Running:
    """Start one Checkov run; `finish` waits for it and measures it."""
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONPATH": str(REPO), "LOG_LEVEL": "ERROR"}
    if timing_file is not None:
        timing_file.write_text("")
        env["SPECTRUM_GUARD_TIMING_FILE"] = str(timing_file)
    stdout, stderr = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen([program, "--skip-download", "-o", OUTPUT, *arguments],
                               stdout=stdout, stderr=stderr, env=env)
    return _Running(arguments, process, started, stdout, stderr, timing_file)


def finish(run: _Running) -> Dict[str, float]:
    """Wall seconds, peak RSS (MiB) and, when timed, seconds inside SpectrumGraphCheck.run of one Checkov run."""
    with run.stdout, run.stderr:
        _, status, usage = os.wait4(run.process.pid, 0)
        wall = time.perf_counter() - run.started
        run.process.returncode = os.waitstatus_to_exitcode(status)
        run.stdout.seek(0)
        rspec_results = _count_rspec_results(run.stdout)
        if run.process.returncode not in (0, 1):
            run.stderr.seek(0)
            raise RuntimeError(f"checkov {' '.join(run.arguments)} exited {run.process.returncode}: "
                               f"{run.stderr.read()[-2000:]}")
    # CPU time of the whole process tree: on a shared machine it is far steadier than wall time.
    result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024}
    result["rspec_results"] = rspec_results
    if run.timing_file is not None:
        lines = [line.split() for line in run.timing_file.read_text().splitlines() if line.strip()]
        result["plugin_s"] = sum(float(line[1]) for line in lines)
        result["plugin_cpu_s"] = sum(float(line[2]) for line in lines)
        result["plugin_calls"] = len(lines)
    return result


def measure(arguments: Sequence[str], timing_file: Optional[Path] = None, program: str = CHECKOV) -> Dict[str, float]:
    return finish(start(arguments, timing_file, program))


def _count_rspec_results(report: BinaryIO) -> int:
    """Results of CKV_RSPEC checks in Checkov's report, counted in chunks.

    The report of a plain run over 20,000 resources is hundreds of MB. Loading it would grow this
    process, and every later Checkov child starts with its parent's resident size as its peak
    (fork and exec keep ru_maxrss), which would hide the memory being measured.
    """
    needle = RESULT_MARKERS[OUTPUT]
    count, tail = 0, b""
    for chunk in iter(lambda: report.read(1 << 20), b""):
        data = tail + chunk
        count += data.count(needle)
        tail = data[-(len(needle) - 1):]
    return count


def _median(runs: List[Dict[str, float]]) -> Dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def bench_one(
    framework: str, size: int, repeat: int, work: Path, with_plain: bool, together: bool
) -> Dict[str, object]:
    tree = work / f"{framework}_{size}"
    shape = generate(framework, size, tree)
    timing = work / "timings.txt"
    base_args = ["-d", str(tree), "--framework", framework]
    plugin_args = [*base_args, "--external-checks-dir", str(TIMED_CHECKS)]
    runs: Dict[str, List[Dict[str, float]]] = {"base": [], "plugin": [], "focused": [], "plain": []}
    for index in range(repeat):
        if together:
            # Both sides of the overhead at the same time: a drift in the host's speed slows both alike.
            base_run, plugin_run = start(base_args), start(plugin_args, timing)
            runs["base"].append(finish(base_run))
            runs["plugin"].append(finish(plugin_run))
        else:
            # Alternate the order, so that a drift in machine load does not favour one side.
            order = ("base", "plugin") if index % 2 == 0 else ("plugin", "base")
            for name in order:
                runs[name].append(measure(base_args if name == "base" else plugin_args,
                                          timing if name == "plugin" else None))
        # Never together: plain runs its frameworks in parallel processes, which need the free cores.
        runs["focused"].append(measure(["-d", str(tree)], program=SPECTRUM_GUARD))
        if with_plain:
            runs["plain"].append(measure(["-d", str(tree)]))
    medians = {name: _median(values) for name, values in runs.items() if values}
    base, plugin, focused = medians["base"], medians["plugin"], medians["focused"]
    row: Dict[str, object] = {
        "framework": framework,
        "requested_resources": size,
        **shape,
        "repeat": repeat,
        "together": together,
        "runs": runs,
        "medians": medians,
        "wall_overhead": plugin["wall_s"] / base["wall_s"] - 1,
        # Each repeat's plugin run against its own base run: with --together, the figure a drifting host spares.
        "wall_overhead_by_pair": [
            plugin_run["wall_s"] / base_run["wall_s"] - 1 for base_run, plugin_run in zip(runs["base"], runs["plugin"])
        ],
        "cpu_overhead": plugin["cpu_s"] / base["cpu_s"] - 1,
        "memory_overhead": plugin["peak_rss_mib"] / base["peak_rss_mib"] - 1,
        "plugin_fraction": plugin["plugin_s"] / plugin["wall_s"],
        # With the GIL, the plugin's thread CPU time is time no other thread of its process progresses: the most
        # wall time it can add. Its summed wall times overlap (nine checks in Checkov's thread pool).
        "plugin_cpu_over_wall": plugin["plugin_cpu_s"] / plugin["wall_s"],
        "plugin_cpu_fraction": plugin["plugin_cpu_s"] / plugin["cpu_s"],
        "plugin_s": plugin["plugin_s"],
    }
    if "plain" in medians:
        row["focused_over_plain"] = focused["wall_s"] / medians["plain"]["wall_s"]
        row["focused_over_plain_cpu"] = focused["cpu_s"] / medians["plain"]["cpu_s"]
    return row


def fit_exponent(points: List[tuple]) -> Optional[float]:
    """Least-squares slope of log(y) on log(x)."""
    points = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    denominator = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / denominator if denominator else None


def machine() -> Dict[str, object]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory_kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                              if line.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        memory_kib = 0
    checkov_version = subprocess.run([CHECKOV, "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_kib / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(), "checkov": checkov_version}


def main(argv: Optional[Sequence[str]] = None) -> int:
    global OUTPUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", nargs="+", default=["terraform", "cloudformation"],
                        choices=("terraform", "cloudformation"))
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 2500, 5000, 10000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain all-framework checkov -d runs")
    parser.add_argument("--together", action="store_true",
                        help="run base and plugin at the same time, for a host whose speed drifts; needs two free "
                             "cores, and Checkov's own worker processes then share them")
    parser.add_argument("--work", type=Path, help="where to generate the trees (default: a temporary directory)")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--output", choices=sorted(RESULT_MARKERS), default=OUTPUT,
                        help="Checkov's output format (its report is part of the cost: the JSON one grows with "
                             "results)")
    arguments = parser.parse_args(argv)
    OUTPUT = arguments.output

    report: Dict[str, object] = {
        "machine": machine(), "output": OUTPUT, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "rows": [],
    }
    with tempfile.TemporaryDirectory(prefix="spectrum-guard-bench-") as temporary:
        work = arguments.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        for framework in arguments.framework:
            for size in arguments.sizes:
                row = bench_one(framework, size, arguments.repeat, work, not arguments.no_plain, arguments.together)
                report["rows"].append(row)
                _print_row(row)
                arguments.json.parent.mkdir(parents=True, exist_ok=True)
                arguments.json.write_text(json.dumps(report, indent=1))
    exponents = {}
    for framework in arguments.framework:
        rows = [row for row in report["rows"] if row["framework"] == framework]
        exponents[framework] = {
            # Thread CPU time inside run(): wall time there also counts waits for the GIL held by other checks.
            "plugin_cpu": fit_exponent(
                [(row["requested_resources"], row["medians"]["plugin"]["plugin_cpu_s"]) for row in rows]
            ),
            "plugin": fit_exponent([(row["requested_resources"], row["plugin_s"]) for row in rows]),
            "checkov": fit_exponent([(row["requested_resources"], row["medians"]["base"]["wall_s"]) for row in rows]),
        }
    report["exponents"] = exponents
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    arguments.json.write_text(json.dumps(report, indent=1))
    print()
    for row in report["rows"]:
        pairs = ", ".join(f"{overhead:+.1%}" for overhead in row["wall_overhead_by_pair"])
        print(f"{row['framework']} {row['requested_resources']}: wall overhead by pair {pairs}")
    for framework, fitted in exponents.items():
        print(f"{framework}: plugin CPU time ~ N^{_fmt(fitted['plugin_cpu'])}, plugin wall time ~ "
              f"N^{_fmt(fitted['plugin'])}, Checkov (base) wall ~ N^{_fmt(fitted['checkov'])}")
    print(f"report: {arguments.json}")
    return 0


def _fmt(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f}"


_HEADER_PRINTED = False


def _print_row(row: Dict[str, object]) -> None:
    global _HEADER_PRINTED
    if not _HEADER_PRINTED:
        print("| framework | resources | units | base s (CPU s) | plugin s (CPU s) | wall overhead | CPU overhead "
              "| in plugin s (CPU) | CPU / wall | base MiB | plugin MiB | mem overhead | focused s (CPU) "
              "| plain s (CPU) | focused/plain wall | CPU |")
        print("|" + "---|" * 16)
        _HEADER_PRINTED = True
    medians = row["medians"]
    plain = medians.get("plain", {}).get("wall_s")
    plain_cpu = medians.get("plain", {}).get("cpu_s")
    print(
        f"| {row['framework']} | {row['requested_resources']} | {row['units']} "
        f"| {medians['base']['wall_s']:.1f} ({medians['base']['cpu_s']:.1f}) "
        f"| {medians['plugin']['wall_s']:.1f} ({medians['plugin']['cpu_s']:.1f}) "
        f"| {row['wall_overhead']:+.1%} | {row['cpu_overhead']:+.1%} "
        f"| {row['plugin_s']:.3f} ({medians['plugin']['plugin_cpu_s']:.3f}) "
        f"| {row['plugin_cpu_over_wall']:.2%} | {medians['base']['peak_rss_mib']:.0f} "
        f"| {medians['plugin']['peak_rss_mib']:.0f} "
        f"| {row['memory_overhead']:+.1%} | {medians['focused']['wall_s']:.1f} ({medians['focused']['cpu_s']:.1f}) "
        f"| {'n/a' if plain is None else f'{plain:.1f} ({plain_cpu:.1f})'} "
        f"| {'n/a' if plain is None else format(row['focused_over_plain'], '.2f')} "
        f"| {'n/a' if plain is None else format(row['focused_over_plain_cpu'], '.2f')} |",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
