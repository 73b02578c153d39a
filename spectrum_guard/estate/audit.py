"""What records Spectrum's reads of a bucket: CloudTrail trails' S3 data-event selectors, and S3 server access
logging. Spectrum's S3 traffic never crosses the customer's VPC, so no VPC flow log shows it: these are the only
records of who read a Spectrum bucket.

Basic event selectors become the advanced form here (field conditions that must all hold), so that one
evaluation (rules/read_audit_trail.py) serves both. A basic `data_resource` value is a prefix of the object ARNs
it records, which is exactly an advanced `resources.ARN StartsWith`.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Dict, List, Optional, Tuple, Union

from spectrum_guard.describe import describe
from spectrum_guard.estate import cloudformation
from spectrum_guard.estate.graph import ResourceGraph, Vertex, properties
from spectrum_guard.estate.known_values import KnownValues, scope_of
from spectrum_guard.estate.model import Estate, ResourceRef, Unresolved
from spectrum_guard.estate.plan import computed_at_apply
from spectrum_guard.estate.storage import Bucket
from spectrum_guard.estate.values import ShapeError, as_blocks, as_list, resolve_terraform, single
from spectrum_guard.estate.vertices import guarded, is_cloudformation, linked, resource_ref
from spectrum_guard.policy import UnknownValue, partly_known, symbolic_text

logger = logging.getLogger(__name__)

Value = Union[str, UnknownValue]

EVENT_CATEGORY = "eventCategory"
RESOURCE_TYPE = "resources.type"
RESOURCE_ARN = "resources.ARN"
READ_ONLY = "readOnly"
S3_OBJECT = "AWS::S3::Object"
OPERATORS = ("Equals", "NotEquals", "StartsWith", "NotStartsWith", "EndsWith", "NotEndsWith")

_BUCKET_TYPES = ("aws_s3_bucket", "AWS::S3::Bucket")
_TERRAFORM_OPERATORS = {
    "equals": "Equals",
    "not_equals": "NotEquals",
    "starts_with": "StartsWith",
    "not_starts_with": "NotStartsWith",
    "ends_with": "EndsWith",
    "not_ends_with": "NotEndsWith",
}
# read_write_type of a basic selector, as the readOnly condition of the advanced form (None: no condition).
_READ_WRITE_TYPES = {"All": None, "ReadOnly": "true", "WriteOnly": "false"}
_ARN_PARTITION = re.compile(r"^arn:[^:]*:")
# A bucket's ARN without the trailing "/": CloudTrail records no object for it.
_BARE_BUCKET_ARN = re.compile(r"^arn:aws:s3:::(?P<bucket>[^/]+)$")


@dataclass(frozen=True)
class FieldCondition:
    """`field operator values`: true of an event when one of the values matches (for Not* operators: none)."""

    field: str
    operator: str
    values: Tuple[Value, ...]
    written: str  # how the template writes it, for messages


@dataclass(frozen=True)
class Selector:
    """One advanced event selector, or one data_resource of a basic one: its conditions all hold together."""

    label: str
    conditions: Tuple[FieldCondition, ...]
    # Basic values that name no object (a bucket ARN without the trailing "/"), for the failure message.
    ignored_values: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Trail:
    resource: ResourceRef
    # enable_logging / IsLogging: a stopped trail records nothing.
    logging: Union[bool, UnknownValue]
    # Data-event selectors only: a trail with none records management events only.
    selectors: Union[Tuple[Selector, ...], Unresolved]


@dataclass
class AccessLogging:
    """A bucket's server access logging: what turns it on, and what may (a value the scan cannot resolve)."""

    enabled_by: List[str] = field(default_factory=list)
    maybe_by: List[str] = field(default_factory=list)


@dataclass
class ReadAudit:
    trails: List[Trail] = field(default_factory=list)
    # By id() of the estate's Bucket.
    logging: Dict[int, AccessLogging] = field(default_factory=dict)
    # aws_s3_bucket_logging resources whose bucket the scan cannot tell: any bucket may be theirs.
    unlinked_logging: List[str] = field(default_factory=list)
    # Set when building it failed (a bug): then nothing about it is known.
    error: Optional[str] = None

    def logging_of(self, bucket: object) -> AccessLogging:
        return self.logging.get(id(bucket), AccessLogging())


def build_read_audit(graph: ResourceGraph, estate: Estate, known: KnownValues) -> ReadAudit:
    """A bug here must not take the other checks down with it: it leaves CKV_RSPEC_8 and 9 UNKNOWN."""
    try:
        return _build(graph, estate, known)
    except Exception as error:  # noqa: BLE001
        logger.error("spectrum-guard could not read the trails and access logging: %r", error, exc_info=True)
        return ReadAudit(error=f"internal error while reading the trails and access logging: {error!r}")


def _build(graph: ResourceGraph, estate: Estate, known: KnownValues) -> ReadAudit:
    audit = ReadAudit()
    bucket_names = {bucket.name_text for bucket in estate.buckets}
    for vertex in graph.of_type("aws_cloudtrail", "AWS::CloudTrail::Trail"):
        selectors = guarded(vertex, "event selectors", lambda: _trail_selectors(graph, vertex, known, bucket_names))
        audit.trails.append(Trail(resource_ref(vertex), _logging_on(vertex, known), selectors))
    _add_access_logging(graph, estate, known, audit)
    return audit


def _logging_on(vertex: Vertex, known: KnownValues) -> Union[bool, UnknownValue]:
    if is_cloudformation(vertex):
        raw, name = properties(vertex).get("IsLogging"), "IsLogging"
    else:
        raw, name = single(vertex.attributes.get("enable_logging")), "enable_logging"
    value = _Resolver(vertex, known)(raw)
    if value is None:  # Terraform's default; CloudFormation requires the property
        return True
    text = symbolic_text(value)
    if text in ("true", "false"):
        return text == "true"
    return value if isinstance(value, UnknownValue) else UnknownValue(f"{name} is {_shown(value)}")


class _Resolver:
    """Resolves a vertex's raw values with what references to the scan's buckets and roles stand for.

    Given the graph and the value's path in the vertex, a value a plan computes at apply time is unknown:
    Checkov shows it as its first reference (`"${aws_s3_bucket.b.arn}/"` as the bucket's own ARN).
    """

    def __init__(self, vertex: Vertex, known: KnownValues, graph: Optional[ResourceGraph] = None) -> None:
        self._vertex, self._graph = vertex, graph
        self._cloudformation = is_cloudformation(vertex)
        self._known, self._scope = known.seen_from(vertex), scope_of(vertex)

    def __call__(self, value: Any, path: Tuple[Any, ...] = ()) -> Any:
        computed = computed_at_apply(self._graph, self._vertex, path) if self._graph and path else None
        if computed:
            return UnknownValue(computed)
        if self._cloudformation:
            return cloudformation.resolve(value, self._known, self._scope)
        return resolve_terraform(value, self._known, self._scope)


@dataclass(frozen=True)
class _Names:
    """How Terraform and CloudFormation spell a trail's selector attributes."""

    event_selectors: str
    read_write_type: str
    data_resources: str
    type: str
    values: str
    advanced_selectors: str
    name: str
    field_selectors: str
    field: str


_TERRAFORM_NAMES = _Names(
    "event_selector", "read_write_type", "data_resource", "type", "values",
    "advanced_event_selector", "name", "field_selector", "field",
)
_CLOUDFORMATION_NAMES = _Names(
    "EventSelectors", "ReadWriteType", "DataResources", "Type", "Values",
    "AdvancedEventSelectors", "Name", "FieldSelectors", "Field",
)


def _trail_selectors(
    graph: ResourceGraph, vertex: Vertex, known: KnownValues, bucket_names: AbstractSet[str]
) -> Union[Tuple[Selector, ...], Unresolved]:
    try:
        return _selectors(vertex, _Resolver(vertex, known, graph), bucket_names)
    except _Undecided as undecided:
        return Unresolved(f"its event selectors are not known: {undecided}")
    except ShapeError as error:
        return Unresolved(f"its event selectors cannot be read: {error}", malformed=True)


def _selectors(vertex: Vertex, resolve: _Resolver, bucket_names: AbstractSet[str]) -> Tuple[Selector, ...]:
    cfn = is_cloudformation(vertex)
    names = _CLOUDFORMATION_NAMES if cfn else _TERRAFORM_NAMES
    # CloudFormation resolves the whole property (a Fn::If may stand for the list); Terraform has blocks.
    raw = properties(vertex) if cfn else vertex.attributes
    selectors: List[Selector] = []
    basic, advanced = raw.get(names.event_selectors), raw.get(names.advanced_selectors)
    if cfn:
        _refuse_null(raw, names.event_selectors, names.advanced_selectors)
        basic, advanced = resolve(basic), resolve(advanced)
    for index, block in enumerate(_blocks(basic)):
        label = f"{names.event_selectors}[{index}]"
        if cfn:
            _refuse_null(block, names.data_resources)
        path: Tuple[Any, ...] = (names.event_selectors, index)
        read_write_type = resolve(single(block.get(names.read_write_type)), (*path, names.read_write_type))
        read_only = _read_only(read_write_type, names.read_write_type)
        for position, data_resource in enumerate(_blocks(block.get(names.data_resources))):
            data_path = (*path, names.data_resources, position)
            resource_type = resolve(single(data_resource.get(names.type)), (*data_path, names.type))
            values = resolve(data_resource.get(names.values), (*data_path, names.values))
            kept, ignored = _basic_values(values, bucket_names)
            conditions = [
                FieldCondition(EVENT_CATEGORY, "Equals", ("Data",), names.data_resources),
                FieldCondition(
                    RESOURCE_TYPE, "Equals", (_value(resource_type),), f"{names.type} = {_shown(resource_type)}"
                ),
                FieldCondition(RESOURCE_ARN, "StartsWith", kept, f"{names.values} = {_shown_all(kept + ignored)}"),
            ]
            if read_only is not None:
                conditions.append(FieldCondition(READ_ONLY, "Equals", (read_only[0],), read_only[1]))
            selectors.append(Selector(f"{label}.{names.data_resources}[{position}]", tuple(conditions), ignored))
    for index, block in enumerate(_blocks(advanced)):
        if cfn:
            _refuse_null(block, names.field_selectors)
        name = resolve(single(block.get(names.name)))
        label = f"{names.advanced_selectors}[{index}]" + (f" ({name})" if isinstance(name, str) else "")
        conditions = [
            condition
            for position, field_selector in enumerate(_blocks(block.get(names.field_selectors)))
            for condition in _field_conditions(
                field_selector, resolve, (names.advanced_selectors, index, names.field_selectors, position),
                names.field, cfn,
            )
        ]
        selectors.append(Selector(label, tuple(conditions)))
    return tuple(selectors)


def _field_conditions(
    selector: Dict[str, Any], resolve: _Resolver, path: Tuple[Any, ...], field_name: str, cfn: bool
) -> List[FieldCondition]:
    field_value = resolve(single(selector.get(field_name)), (*path, field_name))
    if not isinstance(field_value, str):
        raise ShapeError(f"a field selector's {field_name} is {_shown(field_value)}, not a field name")
    conditions = []
    # A plan may leave out an operator whose values are computed at apply time.
    keys = list(selector) + ([] if cfn else [key for key in _TERRAFORM_OPERATORS if key not in selector])
    for key in keys:
        operator = key if cfn else _TERRAFORM_OPERATORS.get(key)
        if operator not in OPERATORS:
            continue
        values = tuple(_value(value, field_value) for value in as_list(resolve(selector.get(key), (*path, key))))
        if values:
            written = f"{field_value} {operator} {_shown_all(values)}"
            conditions.append(FieldCondition(field_value, operator, values, written))
    return conditions


def _read_only(read_write_type: Any, name: str) -> Optional[Tuple[Value, str]]:
    """The readOnly value a basic selector's read_write_type stands for (None when it records reads and writes)."""
    if read_write_type is None:
        return None  # All, the default
    written = f"{name} = {_shown(read_write_type)}"
    if isinstance(read_write_type, UnknownValue):
        return UnknownValue(f"{written}, which is not known"), written
    if read_write_type not in _READ_WRITE_TYPES:
        raise ShapeError(f"{written} is not All, ReadOnly or WriteOnly")
    read_only = _READ_WRITE_TYPES[read_write_type]
    return None if read_only is None else (read_only, written)


def _basic_values(raw: Any, bucket_names: AbstractSet[str]) -> Tuple[Tuple[Value, ...], Tuple[str, ...]]:
    """The values that record objects, and the bare bucket ARNs that do not (shown as written)."""
    kept: List[Value] = []
    ignored: List[str] = []
    for item in as_list(raw):
        value = _value(item, RESOURCE_ARN)
        bare = _BARE_BUCKET_ARN.match(symbolic_text(value) or "")
        # An unknown part may hide a "/", unless the name is one of the scan's buckets (which holds none).
        if bare and (isinstance(value, str) or bare.group("bucket") in bucket_names):
            ignored.append(_shown(value))
        else:
            kept.append(value)
    if raw is None:
        # CloudTrail requires values: in a plan, their absence means they are computed at apply time.
        kept.append(UnknownValue("the data resource's values are not known (computed at apply time?)"))
    return tuple(kept), tuple(ignored)


def _value(value: Any, field_name: str = "") -> Value:
    """A condition value as text. An ARN's partition is that of the scan: a trail records only its own partition."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, (str, UnknownValue)):
        return UnknownValue(f"the value {_shown(value)}")
    text = symbolic_text(value)
    if field_name == RESOURCE_ARN and text is not None and _ARN_PARTITION.match(text):
        reason = value.reason if isinstance(value, UnknownValue) else text
        return partly_known(_ARN_PARTITION.sub("arn:aws:", text, count=1), reason)
    return value


def _blocks(value: Any) -> List[Dict[str, Any]]:
    """Blocks (Terraform) or list items (CloudFormation); one the scan cannot resolve leaves them undecided."""
    for item in as_list(value):
        if isinstance(item, UnknownValue):
            raise _Undecided(item.reason)
        if not isinstance(item, dict):
            raise ShapeError(f"{_shown(item)} is not a block")
    return as_blocks(value)


def _refuse_null(mapping: Dict[str, Any], *names: str) -> None:
    """CloudFormation rejects a template with a null value, so a null list is broken input, not an empty one."""
    for name in names:
        if name in mapping and mapping[name] is None:
            raise ShapeError(f"{name} is null")


class _Undecided(Exception):
    """A selector list or block the scan cannot resolve (Fn::If, a variable): not broken input."""


def _shown(value: Any) -> str:
    if isinstance(value, UnknownValue):
        return value.pattern if value.pattern and value.pattern != "*" else f"<{value.reason}>"
    return value if isinstance(value, str) else describe(value)


def _shown_all(values: Tuple[Value, ...]) -> str:
    return "[" + ", ".join(_shown(value) for value in values) + "]"


def _add_access_logging(graph: ResourceGraph, estate: Estate, known: KnownValues, audit: ReadAudit) -> None:
    by_vertex = {bucket.resource.vertex_index: bucket for bucket in estate.buckets if bucket.resource is not None}
    by_name = {bucket.name_text: bucket for bucket in estate.buckets}

    def add(bucket: Bucket, enabled_by: str, certain: bool = True) -> None:
        logging = audit.logging.setdefault(id(bucket), AccessLogging())
        (logging.enabled_by if certain else logging.maybe_by).append(enabled_by)

    for vertex in graph.of_type("aws_s3_bucket"):
        if vertex.index not in by_vertex:
            continue
        legacy = vertex.attributes.get("logging")  # the legacy inline block
        if not all(isinstance(item, dict) for item in as_list(legacy)):
            # `logging = var.settings`, or a value that is no block
            add(by_vertex[vertex.index], f"its logging is {_shown(single(legacy))}, not a block", certain=False)
        elif as_blocks(legacy):
            add(by_vertex[vertex.index], f"its logging block ({vertex.address})")
    for vertex in graph.of_type("AWS::S3::Bucket"):
        if vertex.index not in by_vertex:
            continue
        if "LoggingConfiguration" not in properties(vertex):
            continue
        configuration = _Resolver(vertex, known)(properties(vertex)["LoggingConfiguration"])
        if isinstance(configuration, dict):
            add(by_vertex[vertex.index], f"its LoggingConfiguration ({vertex.address})")
        elif isinstance(configuration, UnknownValue):
            add(by_vertex[vertex.index], f"its LoggingConfiguration is {configuration.reason}", certain=False)
        elif configuration is None or isinstance(configuration, (str, int, float, list)):
            # CloudFormation refuses such a template: whether it was meant to log is not known.
            shown = "null" if configuration is None else _shown(configuration)
            add(by_vertex[vertex.index], f"its LoggingConfiguration is {shown}, not a mapping", certain=False)
    for vertex in graph.of_type("aws_s3_bucket_logging"):
        links = linked(graph, vertex, "bucket", _BUCKET_TYPES)
        targets = [by_vertex[target.index] for target in links.targets if target.index in by_vertex]
        if links.ambiguous:
            # It logs one of them: none is certain, each may be.
            for target in links.candidates:
                if target.index in by_vertex:
                    add(by_vertex[target.index], f"{vertex.address} ({'; '.join(links.unfollowed)})", certain=False)
        elif not targets:  # a literal name
            name = _Resolver(vertex, known)(single(vertex.attributes.get("bucket")))
            text = symbolic_text(name)
            if text in by_name:
                targets = [by_name[text]]
            elif isinstance(name, UnknownValue) or text is None:
                audit.unlinked_logging.append(f"{vertex.address} (its bucket is {_shown(name)})")
        for bucket in targets:
            add(bucket, vertex.address)
