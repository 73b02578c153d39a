#!/usr/bin/env bash
# Set up (first run only) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$root"
# pytest exits 5 when it collected no test; that is a failure here too, like any non-zero code.
exec "$venv/bin/python" -m pytest "$@"
