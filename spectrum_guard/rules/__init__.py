"""Layer 3: one module per check, each a pure function over the estate."""
from spectrum_guard.rules import (
    access_logging,
    glue_path,
    network_origin,
    other_denials,
    presigned_urls,
    read_audit_trail,
    role_trust,
    s3_path,
    signature_age,
)
from spectrum_guard.rules.verdict import Outcome, Rule, Verdict

ALL_RULES = (
    network_origin.RULE,
    signature_age.RULE,
    presigned_urls.RULE,
    other_denials.RULE,
    role_trust.RULE,
    glue_path.RULE,
    s3_path.RULE,
    read_audit_trail.RULE,
    access_logging.RULE,
)

__all__ = ["ALL_RULES", "Outcome", "Rule", "Verdict"]
