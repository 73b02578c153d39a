"""`spectrum-guard`: Checkov with spectrum-guard's checks, focused and offline by default.

    spectrum-guard [--with-builtins] [CHECKOV ARGUMENTS...]
    spectrum-guard --checks-dir
    spectrum-guard validate-config [FILE]

Every Checkov argument passes through. Unless given, these are added: `-d .`, `--skip-download`,
`--framework terraform terraform_plan cloudformation` and, without --with-builtins, `--check 'CKV_RSPEC_*'`.
Of those three frameworks, only the ones the scanned files may hold are run.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from spectrum_guard.checkov_adapter.frameworks import FRAMEWORKS, frameworks_to_scan

WITH_BUILTINS = "--with-builtins"
# Any file name: the configuration is looked up from the directory that would hold it.
FILE_PLACEHOLDER = "scanned-file"


def checks_dir() -> Path:
    """The directory to pass to `checkov --external-checks-dir`, wherever the package is installed."""
    from spectrum_guard import checkov_checks

    return Path(checkov_checks.__file__).resolve().parent


def checkov_arguments(arguments: Sequence[str]) -> List[str]:
    given = [argument.split("=", 1)[0] for argument in arguments]
    with_builtins = WITH_BUILTINS in given
    result = [argument for argument in arguments if argument != WITH_BUILTINS]
    result += ["--external-checks-dir", str(checks_dir())]
    if not {"-d", "--directory", "-f", "--file"} & set(given):
        result += ["-d", "."]
    if "--skip-download" not in given:
        result.append("--skip-download")
    if "--framework" not in given:
        result += ["--framework", *FRAMEWORKS]
    if not with_builtins and not {"-c", "--check"} & set(given):
        result += ["--check", "CKV_RSPEC_*"]
    return result


def validate_config(path: Optional[str]) -> int:
    """Check a configuration file (by default the one a scan of the current directory would use)."""
    from spectrum_guard.config import ConfigurationError, line_of, load_configuration, locate_configuration

    path = path or locate_configuration([os.path.join(os.getcwd(), FILE_PLACEHOLDER)], os.environ)
    if not path:
        print("spectrum-guard: no configuration file found (.spectrum-guard.yaml or $SPECTRUM_GUARD_CONFIG)")
        return 0
    try:
        configuration = load_configuration(path)
    except ConfigurationError as error:
        try:
            with open(path, encoding="utf-8") as file:
                line = line_of(file.read(), error.key)
        except (OSError, UnicodeDecodeError):
            line = None
        print(f"{path}:{line or 1}: {error.key}: {error.problem}", file=sys.stderr)
        return 1
    print(
        f"{path}: valid ({len(configuration.spectrum_buckets)} Spectrum buckets, "
        f"{len(configuration.spectrum_roles)} Spectrum roles declared)"
    )
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--checks-dir"]:
        print(checks_dir())
        return 0
    if arguments[:1] == ["validate-config"] and len(arguments) <= 2:
        return validate_config(arguments[1] if len(arguments) == 2 else None)
    if arguments and arguments[0] in ("-h", "--help"):
        print(__doc__)
    from checkov.main import Checkov

    checkov = Checkov(checkov_arguments(arguments))
    # Read from Checkov's own parse of the arguments: every form and abbreviation of -d and -f it accepts.
    if sorted(checkov.config.framework) == sorted(FRAMEWORKS):
        config = checkov.config
        config.framework = frameworks_to_scan(config.directory or [], config.file or [], os.environ)
    return int(checkov.run() or 0)


if __name__ == "__main__":
    sys.exit(main())
