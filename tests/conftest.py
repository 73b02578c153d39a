import sys
from pathlib import Path

# Tests import the helpers beside them (checkov_runner) without making tests/ a package,
# and the engine from this checkout.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
