"""Layer 2: Checkov's resource graph turned into plain objects. The only layer that knows its shapes."""
from spectrum_guard.estate.builder import build_estate
from spectrum_guard.estate.graph import ResourceGraph
from spectrum_guard.estate.model import Estate, Reader, ReaderKind, ResourceRef, Role, Unresolved, Workgroup

__all__ = [
    "Estate",
    "Reader",
    "ReaderKind",
    "ResourceGraph",
    "ResourceRef",
    "Role",
    "Unresolved",
    "Workgroup",
    "build_estate",
]
