import sys
from pathlib import Path

# Tests import the helpers beside them (checkov_runner) without making tests/ a package,
# and the engine from this checkout.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

# Hypothesis: a small example count by default (CI); HYPOTHESIS_PROFILE=long for a long campaign.
import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

# derandomize: CI runs the same examples every time and never flakes; the long campaign explores.
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "20000")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
