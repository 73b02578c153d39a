"""Layer 3: one module per check, each a pure function over the estate."""
from spectrum_guard.rules import role_trust
from spectrum_guard.rules.verdict import Outcome, Rule, Verdict

ALL_RULES = (role_trust.RULE,)

__all__ = ["ALL_RULES", "Outcome", "Rule", "Verdict"]
