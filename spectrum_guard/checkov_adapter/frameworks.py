"""Which of spectrum-guard's frameworks a scan has files for, so that `spectrum-guard` asks Checkov for no other.

Given more than one framework, Checkov runs each in a process of its own, which sends back its report and its
whole resource graph, pickled; and its plan runner parses every .json file of the tree as YAML to find the
plans among them. On a tree of one kind that costs more than all of spectrum-guard's checks
(docs/performance.md).

A framework is left out only when no file could hold what Checkov reads for it. The files judged are more than
Checkov reads (all but those in the directories Checkov always skips), and each test is looser than Checkov's,
so that no framework Checkov would find something in is ever left out:
- terraform: a file ending .tf, .hcl or .tf.json;
- terraform_plan: a .json file that holds the text of both keys Checkov requires of a plan;
- cloudformation: a .yml, .yaml, .json or .template file that holds the text "Resources", the section Checkov
  requires of a template.
"""
from __future__ import annotations

import os
from typing import Iterator, List, Mapping, Sequence, Set

FRAMEWORKS = ("terraform", "terraform_plan", "cloudformation")

_TERRAFORM_ENDINGS = (".tf", ".hcl", ".tf.json")
# The frameworks a file's text decides, by the endings of the files Checkov reads for them.
_DECIDED_BY_TEXT = {"terraform_plan": (".json",), "cloudformation": (".yml", ".yaml", ".json", ".template")}
_PLAN_KEYS = (b"terraform_version", b"planned_values")
_TEMPLATE_SECTION = b"Resources"
# Checkov's own defaults and switches for the directories it never walks into (checkov/common/runners/base_runner.py).
_IGNORED_DIRECTORIES = ("CKV_IGNORED_DIRECTORIES", "node_modules,.terraform,.serverless")
_IGNORE_HIDDEN_DIRECTORIES = "CKV_IGNORE_HIDDEN_DIRECTORIES"
_FALSE_WORDS = ("n", "no", "f", "false", "off", "0")


def frameworks_to_scan(directories: Sequence[str], files: Sequence[str], environ: Mapping[str, str]) -> List[str]:
    """The frameworks with a file among `files` or under `directories`; all of them when none has one."""
    found: Set[str] = set()
    for path in _candidates(directories, files, environ):
        found |= _frameworks_of(path, set(FRAMEWORKS) - found)
        if len(found) == len(FRAMEWORKS):
            break
    return [framework for framework in FRAMEWORKS if framework in found] or list(FRAMEWORKS)


def _candidates(directories: Sequence[str], files: Sequence[str], environ: Mapping[str, str]) -> Iterator[str]:
    yield from files
    ignored = set(environ.get(*_IGNORED_DIRECTORIES).split(","))
    skip_hidden = environ.get(_IGNORE_HIDDEN_DIRECTORIES, "true").strip().lower() not in _FALSE_WORDS
    for directory in directories:
        for root, subdirectories, names in os.walk(directory):
            subdirectories[:] = [
                name for name in subdirectories if name not in ignored and not (skip_hidden and name.startswith("."))
            ]
            yield from (os.path.join(root, name) for name in names)


def _frameworks_of(path: str, unknown: Set[str]) -> Set[str]:
    """The frameworks `path` may hold; it is read only for those still `unknown`."""
    name = path.lower()
    found = {"terraform"} if name.endswith(_TERRAFORM_ENDINGS) else set()
    to_read = {
        framework for framework, endings in _DECIDED_BY_TEXT.items() if framework in unknown and name.endswith(endings)
    }
    if not to_read:
        return found
    try:
        with open(path, "rb") as file:
            content = file.read()
    except OSError:
        return found | to_read
    if "terraform_plan" in to_read and all(key in content for key in _PLAN_KEYS):
        found.add("terraform_plan")
    if "cloudformation" in to_read and _TEMPLATE_SECTION in content:
        found.add("cloudformation")
    return found
