"""Like checks/spectrum_guard_rspec_checks.py, but the plugin's work is timed (benchmarks only).

Each SpectrumGraphCheck.run, and the estate built before Checkov runs the graph checks (the configuration
check in checkov_adapter, which builds the estate every check then shares), appends
"<what> <wall s> <thread CPU s> <pid>" to $SPECTRUM_GUARD_TIMING_FILE. A file, not memory: Checkov runs
frameworks in forked processes that never return to the benchmark.
"""
import os
import time

import spectrum_guard.checkov_adapter as adapter
from spectrum_guard.checkov_adapter import register_checks
from spectrum_guard.checkov_adapter.graph_check import SpectrumGraphCheck

_TIMING_FILE = os.environ.get("SPECTRUM_GUARD_TIMING_FILE")


def _timed(what, work, *arguments):
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        return work(*arguments)
    finally:
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        with open(_TIMING_FILE, "a") as timings:
            timings.write(f"{what} {wall:.6f} {cpu:.6f} {os.getpid()}\n")


if _TIMING_FILE and not getattr(SpectrumGraphCheck.run, "_timed", False):
    _untimed_run = SpectrumGraphCheck.run
    _untimed_estate_of = adapter.estate_of

    def _timed_run(self, graph_connector):
        return _timed(self.id, _untimed_run, self, graph_connector)

    def _timed_estate_of(graph_connector):
        return _timed("estate", _untimed_estate_of, graph_connector)

    _timed_run._timed = True
    SpectrumGraphCheck.run = _timed_run
    # The name the registry wrapper calls; run() reaches the same estate through graph_check's own import.
    adapter.estate_of = _timed_estate_of

register_checks()
