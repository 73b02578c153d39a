"""Which module instance a reference to a module output names, read from the Terraform source.

Checkov links every reference to an output of a module source that is instantiated more than once (two calls,
or a call with count or for_each) to one instance, whichever call the reference names, and renders the value
from that instance. The Terraform text still says which call and which instance it meant: `module.role_b.arn`,
`module.lakes["raw"].id`, `module.counted[1].id`, `module.lakes[each.key].id` in the instance "raw" of a
resource. Read once per file, with the parser Checkov itself uses.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Tuple

import hcl2

from spectrum_guard.estate.graph import Vertex

logger = logging.getLogger(__name__)

OUTPUT_REFERENCE = re.compile(r"(?<![\w.])module\.(?P<call>[\w-]+)(?:\[(?P<key>[^\]]*)\])?\.(?P<output>[\w-]+)")
_INSTANCE_KEY = re.compile(r"^\s*(?:\"(?P<text>[^\"]*)\"|(?P<number>\d+))\s*$")
_INSTANCE = re.compile(r"\[[^\]]*\]$")
_OWN_KEY = re.compile(r"\[(?P<key>[^\]]*)\]$")

# The call a reference names, and the instance key ("" for a module without count or for_each).
NamedInstance = Tuple[str, str]


class ModuleCalls:
    """Reads the module output references a block writes, one parse per file."""

    def __init__(self) -> None:
        self._parsed: Dict[str, Optional[Dict[str, Any]]] = {}

    def named(self, referrer: Vertex, label: str, output_name: str) -> Optional[List[NamedInstance]]:
        """The module instances whose output `output_name` the referrer's attribute names; None when the text
        cannot tell (the file does not parse, the block is not found, or an instance key is an expression)."""
        written = self.written(referrer, label)
        if written is None:
            return None
        named: List[NamedInstance] = []
        # The referrer's own instance key, which Checkov writes in its address: what each.key and count.index are.
        own_key = _OWN_KEY.search(referrer.address)
        for found in OUTPUT_REFERENCE.finditer(str(written)):
            if found.group("output") != output_name:
                continue
            key = found.group("key")
            if key is not None and key.strip() in ("each.key", "count.index") and own_key is not None:
                key = own_key.group("key")
            literal = _INSTANCE_KEY.match(key) if key is not None else None
            if key is not None and literal is None:
                return None
            instance = (found.group("call"), _key_text(literal))
            if instance not in named:
                named.append(instance)
        return named or None

    def written(self, referrer: Vertex, label: str) -> Any:
        """The referrer's attribute as its Terraform source writes it (None when the file or block is not found)."""
        parsed = self._parse(referrer.file_path)
        body = _block(parsed, referrer) if parsed is not None else None
        if body is None:
            return None
        if referrer.attributes.get("block_type_") == "output":
            return body.get("value")
        first = label.split(".", 1)[0]
        return body.get(first, body) if isinstance(body, dict) else body

    def _parse(self, path: str) -> Optional[Dict[str, Any]]:
        if path not in self._parsed:
            try:
                with open(path, encoding="utf-8") as source:
                    self._parsed[path] = hcl2.load(source)
            except Exception as error:  # noqa: BLE001 - any parse failure leaves the reference undecided
                logger.warning("spectrum-guard could not read %s to tell which module instance it means: %r",
                               path, error)
                self._parsed[path] = None
        return self._parsed[path]


def _key_text(literal: Optional[re.Match]) -> str:
    if literal is None:
        return ""
    return literal.group("text") if literal.group("text") is not None else literal.group("number")


def _block(parsed: Dict[str, Any], vertex: Vertex) -> Any:
    """The body of the vertex's block in the parsed file: resources and data by type and name, others by name."""
    block_type = vertex.attributes.get("block_type_")
    name = _INSTANCE.sub("", str(vertex.attributes.get("block_name_") or ""))
    if block_type in ("resource", "data"):
        resource_type = vertex.resource_type.removeprefix("data.")
        name = name.rsplit(".", 1)[-1]
        for block in parsed.get(block_type, []):
            body = block.get(resource_type, {}).get(name) if isinstance(block.get(resource_type), dict) else None
            if body is not None:
                return body
        return None
    for block in parsed.get(block_type, []) if block_type in ("module", "output", "locals") else []:
        if isinstance(block, dict) and name in block:
            return block[name]
    return None
