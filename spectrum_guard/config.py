"""The configuration file: what a scan cannot see for itself, such as a bucket read by a cluster that lives in
another repository. Pure Python over YAML text; an invalid file is an error that names the file, the key and
the problem, never something to skip.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Sequence, Tuple

import yaml

from spectrum_guard.describe import describe

FILE_NAME = ".spectrum-guard.yaml"
ENVIRONMENT_VARIABLE = "SPECTRUM_GUARD_CONFIG"

PROVISIONED = "provisioned"
SERVERLESS = "serverless"
READER_KINDS = (PROVISIONED, SERVERLESS)

# Spectrum's presigned URLs are valid for one hour; SigV4 presigned URLs for at most seven days.
DEFAULT_SIGNATURE_AGE_THRESHOLD_MS = 3_600_000
MAX_SIGNATURE_AGE_MS = 7 * 24 * 3_600_000

_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+")
_ACCOUNT_ID = re.compile(r"\d{12}")
_BUCKET_GLOB = re.compile(r"[a-z0-9.*?\[\]!-]{1,255}")
# A trail's ARN, or its name (3 to 128 letters, digits, . _ -, starting and ending with a letter or digit).
_TRAIL = re.compile(
    r"arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail/[A-Za-z0-9][\w.-]{1,126}[A-Za-z0-9]"
    r"|[A-Za-z0-9][\w.-]{1,126}[A-Za-z0-9]"
)


class ConfigurationError(ValueError):
    """An invalid configuration. Its arguments stay (path, key, problem) so that it survives pickling
    between Checkov's worker processes."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        super().__init__(path, key, problem)
        self.path, self.key, self.problem = path, key, problem

    def __str__(self) -> str:
        return f"invalid spectrum-guard configuration {self.path}: {self.key}: {self.problem}"


@dataclass(frozen=True)
class DeclaredBucket:
    """A bucket that Spectrum reads, by name or glob (`*`, `?`, `[...]`), read by readers of `reader` kind."""

    name: str
    reader: str = PROVISIONED
    account: Optional[str] = None


@dataclass(frozen=True)
class DeclaredRole:
    """The ARN of a role attached to a Redshift reader that the scan does not hold."""

    arn: str
    reader: str = PROVISIONED


@dataclass(frozen=True)
class Configuration:
    source: Optional[str] = None  # the file it was read from; None for the defaults
    spectrum_buckets: Tuple[DeclaredBucket, ...] = ()
    spectrum_roles: Tuple[DeclaredRole, ...] = ()
    signature_age_threshold_ms: int = DEFAULT_SIGNATURE_AGE_THRESHOLD_MS
    # A trail outside the scan (an organisation trail) that records read data events for every S3 object.
    organization_trail: Optional[str] = None


def parse_configuration(text: str, path: str) -> Configuration:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ConfigurationError(path, "(file)", f"is not valid YAML{where}: {getattr(error, 'problem', error)}")
    if document is None:
        return Configuration(source=path)
    if not isinstance(document, dict):
        raise ConfigurationError(path, "(file)", f"must be a mapping of settings, not {describe(document)}")
    unknown = sorted(str(key) for key in document if key not in _SETTINGS)
    if unknown:
        raise ConfigurationError(path, unknown[0], f"is not a setting; the settings are {', '.join(_SETTINGS)}")
    settings = {key: _SETTINGS[key](path, key, value) for key, value in document.items()}
    return Configuration(source=path, **settings)


def load_configuration(path: str) -> Configuration:
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(path, "(file)", f"cannot be read: {error}")
    return parse_configuration(text, path)


def line_of(text: str, key: str) -> Optional[int]:
    """The line (1-based) where a key such as `spectrum_buckets[1].reader` stands in the YAML text, if found."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for step in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == step), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and step.startswith("[") and int(step[1:-1]) < len(node.value):
            node = node.value[int(step[1:-1])]
            line = node.start_mark.line + 1
        else:
            break
    return line


def locate_configuration(scanned_files: Iterable[str], environment: Mapping[str, str]) -> Optional[str]:
    """The file named by the environment variable, else the nearest `.spectrum-guard.yaml` in the directory
    that holds every scanned file or in one of its parents, up to the repository root (a directory with `.git`)."""
    named = environment.get(ENVIRONMENT_VARIABLE)
    if named:
        return named
    directories = [os.path.dirname(os.path.abspath(path)) for path in scanned_files if path]
    if not directories:
        return None
    directory = os.path.commonpath(directories)
    while True:
        candidate = os.path.join(directory, FILE_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if os.path.exists(os.path.join(directory, ".git")) or parent == directory:
            return None
        directory = parent


def _spectrum_buckets(path: str, key: str, value: Any) -> Tuple[DeclaredBucket, ...]:
    return tuple(
        _declaration(path, f"{key}[{index}]", item, DeclaredBucket, "name", _bucket_name, {"account": _account})
        for index, item in enumerate(_list(path, key, value))
    )


def _spectrum_roles(path: str, key: str, value: Any) -> Tuple[DeclaredRole, ...]:
    return tuple(
        _declaration(path, f"{key}[{index}]", item, DeclaredRole, "arn", _role_arn, {})
        for index, item in enumerate(_list(path, key, value))
    )


def _declaration(
    path: str,
    key: str,
    item: Any,
    kind: Callable[..., Any],
    identifier: str,
    check_identifier: Callable[[str, str, Any], str],
    optional: Dict[str, Callable[[str, str, Any], Any]],
) -> Any:
    """A bare identifier, or a mapping with the identifier, an optional `reader` and the optional fields."""
    if not isinstance(item, dict):
        return kind(check_identifier(path, key, item))
    fields = {identifier: check_identifier, "reader": _reader, **optional}
    unknown = sorted(str(name) for name in item if name not in fields)
    if unknown:
        raise ConfigurationError(path, f"{key}.{unknown[0]}", f"is not a field; the fields are {', '.join(fields)}")
    if identifier not in item:
        raise ConfigurationError(path, key, f"has no {identifier}")
    return kind(**{name: fields[name](path, f"{key}.{name}", value) for name, value in item.items()})


def _list(path: str, key: str, value: Any) -> Sequence[Any]:
    if not isinstance(value, list):
        raise ConfigurationError(path, key, f"must be a list, not {describe(value)}")
    return value


def _matching(pattern: "re.Pattern[str]", what: str) -> Callable[[str, str, Any], str]:
    def check(path: str, key: str, value: Any) -> str:
        if not (isinstance(value, str) and pattern.fullmatch(value)):
            raise ConfigurationError(path, key, f"must be {what}, not {describe(value)}")
        return value

    return check


_bucket_name = _matching(_BUCKET_GLOB, "a bucket name or glob (lower-case letters, digits, . - * ? [ ])")
_role_arn = _matching(_ROLE_ARN, "a role ARN such as arn:aws:iam::123456789012:role/name")
# YAML reads an unquoted account ID as a number, and drops its leading zeros.
_account = _matching(_ACCOUNT_ID, "a quoted 12-digit account ID")
_organization_trail = _matching(_TRAIL, "the ARN or name of a trail that records S3 data events for every bucket")


def _reader(path: str, key: str, value: Any) -> str:
    if value not in READER_KINDS:
        raise ConfigurationError(path, key, f"must be {' or '.join(READER_KINDS)}, not {describe(value)}")
    return str(value)


def _signature_age_threshold(path: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_SIGNATURE_AGE_MS:
        raise ConfigurationError(
            path, key, f"must be a whole number of milliseconds from 1 to {MAX_SIGNATURE_AGE_MS}, not {describe(value)}"
        )
    return value


_SETTINGS: Dict[str, Callable[[str, str, Any], Any]] = {
    "spectrum_buckets": _spectrum_buckets,
    "spectrum_roles": _spectrum_roles,
    "signature_age_threshold_ms": _signature_age_threshold,
    "organization_trail": _organization_trail,
}
