"""The estate: plain objects for the resources the rules reason about."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Dict, List, Optional, Union

from spectrum_guard.policy import PolicyDocument

if TYPE_CHECKING:  # network.py builds on the classes below
    from spectrum_guard.estate.network import Network


@dataclass(frozen=True)
class ResourceRef:
    """Where a verdict is reported: one vertex of Checkov's graph."""

    vertex_index: int
    address: str
    file_path: str

    def __str__(self) -> str:
        return self.address


@dataclass(frozen=True)
class Unresolved:
    """A value the scan cannot establish, and why."""

    reason: str
    # True when the input itself is broken (not JSON, wrong shape), not merely decided at deploy time.
    malformed: bool = False


PolicyOrUnresolved = Union[PolicyDocument, Unresolved]


@dataclass(eq=False)
class Role:
    resource: ResourceRef
    name: Optional[str]
    trust_policy: PolicyOrUnresolved


class ReaderKind(Enum):
    PROVISIONED = "provisioned cluster"
    SERVERLESS = "Serverless namespace"


@dataclass(eq=False)
class Workgroup:
    resource: ResourceRef


@dataclass(eq=False)
class Reader:
    """Something that runs Spectrum queries: a provisioned cluster or a Serverless namespace."""

    resource: ResourceRef
    kind: ReaderKind
    roles: List[Role] = field(default_factory=list)
    workgroups: List[Workgroup] = field(default_factory=list)


def _no_network() -> Network:
    from spectrum_guard.estate.network import Network

    return Network()


@dataclass(eq=False)
class Estate:
    roles: List[Role]
    readers: List[Reader]
    # Estates built by hand, for the rules that do not look at the network, have none.
    network: Network = field(default_factory=_no_network)
    _readers_by_role: Dict[int, List[Reader]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._readers_by_role = {}
        for reader in self.readers:
            for role in reader.roles:
                self._readers_by_role.setdefault(id(role), []).append(reader)

    def readers_of(self, role: Role) -> List[Reader]:
        return self._readers_by_role.get(id(role), [])
