"""Like checks/spectrum_guard_rspec_checks.py, but every SpectrumGraphCheck.run is timed (benchmarks only).

Each call appends "<check id> <wall s> <thread CPU s> <pid>" to $SPECTRUM_GUARD_TIMING_FILE. A file,
not memory: Checkov runs frameworks in forked processes that never return to the benchmark.
"""
import os
import time

from spectrum_guard.checkov_adapter import register_checks
from spectrum_guard.checkov_adapter.graph_check import SpectrumGraphCheck

_TIMING_FILE = os.environ.get("SPECTRUM_GUARD_TIMING_FILE")

if _TIMING_FILE and not getattr(SpectrumGraphCheck.run, "_timed", False):
    _untimed_run = SpectrumGraphCheck.run

    def _timed_run(self, graph_connector):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return _untimed_run(self, graph_connector)
        finally:
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            with open(_TIMING_FILE, "a") as timings:
                timings.write(f"{self.id} {wall:.6f} {cpu:.6f} {os.getpid()}\n")

    _timed_run._timed = True
    SpectrumGraphCheck.run = _timed_run

register_checks()
