#!/usr/bin/env bash
# Run the Checkov-dependent tests (tests/checkov, tests/distribution) against several Checkov releases,
# each in its own throwaway venv. Not part of CI, which tests only the release pip picks by default.
#
#   ./scripts/checkov-matrix.sh                 # both ends of the supported range
#   ./scripts/checkov-matrix.sh 3.3.30 3.2.500  # these releases ("3.2.500" means ==3.2.500)
#
# With no arguments, the versions are the range's lower bound and the newest release the range admits
# (pip resolves it). PYTEST_ADDOPTS reaches pytest (PYTEST_ADDOPTS=-x stops a version at its first
# failure); CHECKOV_MATRIX_KEEP=1 keeps the venvs and logs for a look. Prints one summary line per
# version and exits non-zero if any version failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"

# compatibility.py holds the same range as pyproject.toml (tests/distribution/test_compatibility.py checks).
supported="$(sed -n 's/^SUPPORTED_CHECKOV = "\(.*\)"$/\1/p' "$root/spectrum_guard/checkov_adapter/compatibility.py")"
lowest="$(printf '%s\n' "$supported" | tr ',' '\n' | sed -n 's/^ *>= *//p')"
if [ -z "$supported" ] || [ -z "$lowest" ]; then
  echo "checkov-matrix: cannot read the supported range (>=X,...) from compatibility.py" >&2
  exit 2
fi
if [ "$#" -gt 0 ]; then
  requirements=()
  for version in "$@"; do
    case "$version" in
      [0-9]*) requirements+=("checkov==$version") ;;
      *) requirements+=("checkov$version") ;;  # a specifier such as ">=3.3,<3.4"
    esac
  done
else
  requirements=("checkov==$lowest" "checkov$supported")
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/checkov-matrix.XXXXXX")"
if [ "${CHECKOV_MATRIX_KEEP:-}" != 1 ]; then
  trap 'rm -rf "$work"' EXIT
fi
summary=()
status=0
index=0
for requirement in "${requirements[@]}"; do
  index=$((index + 1))
  venv="$work/venv-$index"
  log="$work/install-$index.log"
  started=$SECONDS
  echo "=== $requirement: installing into $venv" >&2
  if ! { "$python" -m venv "$venv" \
         && "$venv/bin/python" -m pip install --upgrade pip \
         && "$venv/bin/python" -m pip install "$requirement" pytest hypothesis pre-commit pyyaml \
         && "$venv/bin/python" -m pip install --no-deps -e "$root"; } > "$log" 2>&1; then
    tail -n 30 "$log" >&2
    summary+=("$requirement: FAIL (install failed, $((SECONDS - started))s)")
    status=1
    continue
  fi
  installed="$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("checkov"))')"
  echo "=== checkov $installed: running tests/checkov tests/distribution" >&2
  # The pre-commit test builds the hook's own environment with pip; the constraint gives it this Checkov too.
  constraint="$work/constraint-$index.txt"
  echo "checkov==$installed" > "$constraint"
  output="$work/pytest-$index.log"
  (cd "$root" && PYTHONPATH="$root" PIP_CONSTRAINT="$constraint" \
     "$venv/bin/python" -m pytest tests/checkov tests/distribution -q -p no:cacheprovider) 2>&1 | tee "$output"
  code=${PIPESTATUS[0]}
  result="$(grep -E '^=*.*[0-9]+ (passed|failed|error|errors|skipped)' "$output" | tail -n 1 | sed 's/^=* *//; s/ *=*$//')"
  if [ "$code" -eq 0 ]; then
    summary+=("checkov $installed: PASS (${result:-no summary}, $((SECONDS - started))s with install)")
  else
    summary+=("checkov $installed: FAIL (pytest exit $code: ${result:-no summary}, $((SECONDS - started))s with install)")
    status=1
  fi
  if [ "${CHECKOV_MATRIX_KEEP:-}" != 1 ]; then
    rm -rf "$venv"
  fi
done

echo
echo "Checkov matrix (supported: $supported):"
printf '  %s\n' "${summary[@]}"
if [ "${CHECKOV_MATRIX_KEEP:-}" = 1 ]; then
  echo "  venvs and logs kept in $work"
fi
exit "$status"
