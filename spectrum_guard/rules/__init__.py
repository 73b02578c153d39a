"""Layer 3: one module per check, each a pure function over the estate."""
from spectrum_guard.rules import glue_path, role_trust, s3_path
from spectrum_guard.rules.verdict import Outcome, Rule, Verdict

ALL_RULES = (role_trust.RULE, glue_path.RULE, s3_path.RULE)

__all__ = ["ALL_RULES", "Outcome", "Rule", "Verdict"]
