"""The estate: plain objects for the resources the rules reason about."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Union

from spectrum_guard.config import Configuration
from spectrum_guard.policy import PolicyDocument, UnknownValue

if TYPE_CHECKING:  # these modules build on the classes below
    from spectrum_guard.estate.audit import ReadAudit
    from spectrum_guard.estate.network import Network
    from spectrum_guard.estate.spectrum import SpectrumBucket
    from spectrum_guard.estate.storage import Bucket, DataLocation


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


@dataclass(frozen=True)
class AttachedPolicy:
    """A policy document and the resource that holds it, where a finding about one of its statements is reported."""

    name: str
    resource: ResourceRef
    document: PolicyOrUnresolved
    # Defined outside the scan (AWS-managed, or in another repository): it may grant access, but is not judged.
    elsewhere: bool = False


@dataclass(eq=False)
class Role:
    resource: ResourceRef
    name: Optional[str]
    trust_policy: PolicyOrUnresolved
    # Partly unknown when its account or name is (see estate/permissions.py).
    arn: Union[str, UnknownValue, None] = None
    identity_policies: List[AttachedPolicy] = field(default_factory=list)
    permissions_boundary: Optional[AttachedPolicy] = None


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


def _no_read_audit() -> ReadAudit:
    from spectrum_guard.estate.audit import ReadAudit

    return ReadAudit()


@dataclass(eq=False)
class Estate:
    roles: List[Role]
    readers: List[Reader]
    # Estates built by hand, for the rules that do not look at the network, have none.
    network: Network = field(default_factory=_no_network)
    buckets: List[Bucket] = field(default_factory=list)
    data_locations: List[DataLocation] = field(default_factory=list)
    # Service and resource control policies, taken to apply to every account in the scan.
    organization_policies: List[AttachedPolicy] = field(default_factory=list)
    # Buckets that Redshift Spectrum reads, why, and by which roles (see estate/spectrum.py).
    spectrum_buckets: List[SpectrumBucket] = field(default_factory=list)
    configuration: Configuration = field(default_factory=Configuration)
    # Trails and server access logging: what records Spectrum's reads (see estate/audit.py).
    read_audit: ReadAudit = field(default_factory=_no_read_audit)
    _readers_by_role: Dict[int, List[Reader]] = field(init=False, repr=False)
    _derived: Dict[str, Any] = field(init=False, repr=False)
    _derived_lock: threading.Lock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._readers_by_role = {}
        for reader in self.readers:
            for role in reader.roles:
                self._readers_by_role.setdefault(id(role), []).append(reader)
        self._derived = {}
        self._derived_lock = threading.Lock()

    def readers_of(self, role: Role) -> List[Reader]:
        return self._readers_by_role.get(id(role), [])

    def derived(self, key: str, compute: Callable[[Estate], Any]) -> Any:
        """`compute(self)`, computed once for this estate however many checks ask for it at the same time."""
        with self._derived_lock:
            if key not in self._derived:
                self._derived[key] = compute(self)
            return self._derived[key]
