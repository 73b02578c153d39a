"""Per-resource failure messages for graph checks.

Checkov gives a graph check's records only the check's fixed name. Python resource checks carry a
per-result `details` list, which the CLI prints as "Details:" and JSON keeps. The graph check files
each message here, and the wrapped Report.add_record puts it on the matching record.

Checkov writes `details` into SARIF as attachments without the required artifactLocation, which
SARIF 2.1.0 (and code-scanning uploads) reject; the wrapped Sarif._create_results moves them into
the result's message, where SARIF viewers show a result's specifics. SARIF is written by Checkov's
main process, which never loads external checks when runners run in forked processes; so records
carrying our details are of classes defined here, and unpickling them in the main process imports
this module, which installs the wrappers.
"""
from __future__ import annotations

import os
import threading
from typing import Any, Dict, List, Tuple

from checkov.common.output.graph_record import GraphRecord
from checkov.common.output.record import Record
from checkov.common.output.report import Report
from checkov.common.output.sarif import Sarif

_messages: Dict[Tuple[str, str, str], str] = {}
_lock = threading.Lock()


class SpectrumRecord(Record):
    """A Record whose unpickling installs the wrappers (see the module docstring)."""


class SpectrumGraphRecord(GraphRecord):
    """A GraphRecord whose unpickling installs the wrappers (see the module docstring)."""


def file_message(check_id: str, file_path: str, resource_names: Tuple[str, ...], message: str) -> None:
    path = os.path.abspath(file_path)
    for name in resource_names:
        _messages[(check_id, path, name)] = message


def install() -> None:
    with _lock:
        if getattr(Report.add_record, "_spectrum_guard", False):
            return
        add_record = Report.add_record
        create_results = Sarif._create_results

        def add_record_with_details(self: Report, record: Any) -> None:
            if not record.details and record.check_id.startswith("CKV_RSPEC_"):
                path = os.path.abspath(record.file_abs_path or "")
                for name in (record.resource_address, record.resource):
                    message = _messages.get((record.check_id, path, name or ""))
                    if message:
                        record.details = [message]
                        record.__class__ = SpectrumGraphRecord if isinstance(record, GraphRecord) else SpectrumRecord
                        break
            add_record(self, record)

        def create_valid_results(self: Sarif) -> List[Dict[str, Any]]:
            results = create_results(self)
            for result in results:
                attachments = result.pop("attachments", None) or []
                texts = [str(attachment.get("description")) for attachment in attachments]
                if texts:
                    result["message"]["text"] = " ".join([result["message"]["text"] + ":", *texts])
            return results

        add_record_with_details._spectrum_guard = True  # type: ignore[attr-defined]
        Report.add_record = add_record_with_details  # type: ignore[method-assign]
        Sarif._create_results = create_valid_results  # type: ignore[method-assign]


install()
