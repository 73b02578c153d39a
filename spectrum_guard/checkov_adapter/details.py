"""Per-resource failure messages for graph checks.

Checkov gives a graph check's records only the check's fixed name. Python resource checks carry a
per-result `details` list, which the CLI prints as "Details:", JSON keeps and SARIF attaches. The graph
check files each message here, and the wrapped Report.add_record puts it on the matching record.
"""
from __future__ import annotations

import os
import threading
from typing import Dict, Tuple

from checkov.common.output.report import Report

_messages: Dict[Tuple[str, str, str], str] = {}
_lock = threading.Lock()


def file_message(check_id: str, file_path: str, resource_names: Tuple[str, ...], message: str) -> None:
    path = os.path.abspath(file_path)
    for name in resource_names:
        _messages[(check_id, path, name)] = message


def install() -> None:
    with _lock:
        if getattr(Report.add_record, "_spectrum_guard", False):
            return
        original = Report.add_record

        def add_record(self: Report, record) -> None:  # type: ignore[no-untyped-def]
            if not record.details and record.check_id.startswith("CKV_RSPEC_"):
                path = os.path.abspath(record.file_abs_path or "")
                for name in (record.resource_address, record.resource):
                    message = _messages.get((record.check_id, path, name or ""))
                    if message:
                        record.details = [message]
                        break
            original(self, record)

        add_record._spectrum_guard = True  # type: ignore[attr-defined]
        Report.add_record = add_record  # type: ignore[method-assign]
