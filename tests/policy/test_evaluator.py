from __future__ import annotations

import pytest

from spectrum_guard.policy import (
    Decision,
    Evaluation,
    Request,
    Tristate,
    UnknownValue,
    action_matches,
    evaluate,
    parse_policy,
    names_request,
    statement_matches,
)

T, F, U = Tristate.TRUE, Tristate.FALSE, Tristate.UNKNOWN
ROLE = "arn:aws:iam::123456789012:role/spectrum"
OBJECT = "arn:aws:s3:::data/sales/part-0000.parquet"


def policy(*statements: dict):
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)})


def get_object(**context) -> Request:
    return Request("s3:GetObject", OBJECT, context=context)


ALLOW_READ = {
    "Sid": "AllowRead",
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:ListBucket"],
    "Resource": "arn:aws:s3:::data/*",
}


def test_signature_age_example_denies_spectrums_presigned_urls():
    bucket_policy = policy(
        ALLOW_READ,
        {
            "Sid": "DenyOldSignatures",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::data/*",
            "Condition": {"NumericGreaterThan": {"s3:signatureAge": 600000}},
        },
    )
    denied = evaluate(get_object(**{"s3:signatureAge": 3600000}), [("bucket policy", bucket_policy)])
    assert denied == Evaluation(
        Decision.DENY,
        bucket_policy.statements[1],
        "bucket policy",
        "s3:signatureage",
        f"DenyOldSignatures in bucket policy denies s3:GetObject on {OBJECT} "
        "because its NumericGreaterThan condition on s3:signatureage holds.",
    )
    allowed = evaluate(get_object(**{"s3:signatureAge": 100000}), [("bucket policy", bucket_policy)])
    assert (allowed.decision, allowed.statement.sid, allowed.condition_key) == (Decision.ALLOW, "AllowRead", None)


def test_source_vpce_restriction_denies_a_request_without_the_key():
    bucket_policy = policy(
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
        }
    )
    spectrum = evaluate(get_object(), [("bucket policy", bucket_policy)])
    assert (spectrum.decision, spectrum.statement.label, spectrum.condition_key) == (
        Decision.DENY,
        "statement #0",
        "aws:sourcevpce",
    )
    through_endpoint = evaluate(get_object(**{"AWS:SourceVpce": "vpce-1a2b3c4d"}), [("bucket policy", bucket_policy)])
    assert through_endpoint.decision is Decision.IMPLICIT_DENY


def test_unresolved_endpoint_id_still_denies_a_request_without_the_key():
    bucket_policy = policy(
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:sourcevpce": UnknownValue("aws_vpc_endpoint.s3.id")}}}
    )
    assert evaluate(get_object(), [("p", bucket_policy)]).decision is Decision.DENY
    through_some_endpoint = evaluate(get_object(**{"aws:SourceVpce": "vpce-9"}), [("p", bucket_policy)])
    assert (through_some_endpoint.decision, through_some_endpoint.condition_key) == (Decision.UNKNOWN, "aws:sourcevpce")
    assert through_some_endpoint.reason == (
        f"statement #0 in p may deny s3:GetObject on {OBJECT}: "
        "its StringNotEquals condition on aws:sourcevpce cannot be resolved."
    )


def test_request_context_keys_are_case_insensitive():
    request = Request("s3:GetObject", OBJECT, context={"AWS:SourceVpce": "vpce-1"})
    assert dict(request.context) == {"aws:sourcevpce": "vpce-1"}


def test_explicit_deny_wins_over_allow_in_another_policy():
    deny = policy({"Sid": "NoData", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"})
    result = evaluate(get_object(), [("identity", policy(ALLOW_READ)), ("scp", deny)])
    assert (result.decision, result.policy_name, result.statement.sid, result.condition_key) == (
        Decision.DENY,
        "scp",
        "NoData",
        None,
    )
    assert result.reason == f"NoData in scp denies s3:GetObject on {OBJECT}."


def test_implicit_deny_when_nothing_allows():
    result = evaluate(Request("s3:PutObject", OBJECT), [("identity", policy(ALLOW_READ))])
    assert result == Evaluation(
        Decision.IMPLICIT_DENY, None, None, None, f"No statement allows s3:PutObject on {OBJECT}."
    )
    assert evaluate(get_object(), []).decision is Decision.IMPLICIT_DENY


def test_possible_deny_makes_the_result_unknown_even_with_an_allow():
    deny = {"Sid": "MaybeDeny", "Effect": "Deny", "Action": "s3:*", "Resource": UnknownValue("aws_s3_bucket.data.arn")}
    result = evaluate(get_object(), [("p", policy(ALLOW_READ, deny))])
    assert (result.decision, result.statement.sid, result.condition_key) == (Decision.UNKNOWN, "MaybeDeny", None)
    assert result.reason == f"MaybeDeny in p may deny s3:GetObject on {OBJECT}: its Resource cannot be resolved."


def test_certain_deny_is_reported_before_a_possible_one():
    maybe = {"Effect": "Deny", "Action": "s3:*", "Resource": UnknownValue("x")}
    certain = {"Sid": "Certain", "Effect": "Deny", "Action": "s3:Get*", "Resource": "*"}
    assert evaluate(get_object(), [("a", policy(maybe)), ("b", policy(certain))]).statement.sid == "Certain"


def test_possible_allow_is_unknown_but_a_certain_allow_decides():
    maybe_allow = {
        "Sid": "MaybeAllow",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalTag/team": UnknownValue("var.team")}},
    }
    result = evaluate(get_object(**{"aws:PrincipalTag/team": "data"}), [("p", policy(maybe_allow))])
    assert (result.decision, result.condition_key) == (Decision.UNKNOWN, "aws:principaltag/team")
    assert result.reason.endswith("cannot be resolved, and no statement certainly allows it.")
    both = evaluate(get_object(**{"aws:PrincipalTag/team": "data"}), [("p", policy(maybe_allow, ALLOW_READ))])
    assert (both.decision, both.statement.sid) == (Decision.ALLOW, "AllowRead")


@pytest.mark.parametrize(
    "patterns, action, expected",
    [
        (("s3:GetObject",), "s3:getobject", T),
        (("S3:Get*",), "s3:GetObjectVersion", T),
        (("s3:List*",), "s3:GetObject", F),
        (("s3:Get?bject",), "s3:GetObject", T),
        (("*",), "kms:Decrypt", T),
        (("iam:*", UnknownValue("var.actions")), "s3:GetObject", U),
        (("s3:*", UnknownValue("var.actions")), "s3:GetObject", T),
    ],
)
def test_action_matches(patterns, action, expected):
    assert action_matches(patterns, action) is expected


def test_not_action_and_not_resource_invert_matching():
    statement = policy(
        {"Effect": "Deny", "NotAction": "s3:Get*", "NotResource": "arn:aws:s3:::public/*"}
    ).statements[0]
    assert statement_matches(statement, Request("s3:PutObject", OBJECT)) == (T, None)
    assert statement_matches(statement, Request("s3:GetObject", OBJECT)) == (F, None)
    assert statement_matches(statement, Request("s3:PutObject", "arn:aws:s3:::public/x")) == (F, None)


def test_resources_are_case_sensitive_and_star_crosses_separators():
    statement = policy({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data*"}).statements[0]
    assert statement_matches(statement, Request("s3:GetObject", "arn:aws:s3:::data/a/b:c")) == (T, None)
    assert statement_matches(statement, Request("s3:GetObject", "arn:aws:s3:::DATA/a")) == (F, None)


def test_resource_with_policy_variable():
    statement = policy(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data/home/${aws:username}/*"}
    ).statements[0]
    assert statement_matches(statement, Request("s3:GetObject", "arn:aws:s3:::data/home/bob/x")) == (U, None)
    assert statement_matches(statement, Request("s3:GetObject", "arn:aws:s3:::data/other/x")) == (F, None)


def test_statement_matches_reports_the_deciding_condition_key():
    statement = policy(
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringLike": {"aws:UserAgent": "AWS Redshift/*"}},
        }
    ).statements[0]
    holds = get_object(**{"aws:SecureTransport": False, "aws:UserAgent": "AWS Redshift/Spectrum"})
    assert statement_matches(statement, holds) == (T, "aws:securetransport")
    fails_second = get_object(**{"aws:SecureTransport": "false", "aws:UserAgent": "aws-cli"})
    assert statement_matches(statement, fails_second) == (F, "aws:useragent")
    unknown_first = get_object(**{"aws:SecureTransport": UnknownValue("x"), "aws:UserAgent": "AWS Redshift/Spectrum"})
    assert statement_matches(statement, unknown_first) == (U, "aws:securetransport")
    assert statement_matches(statement, get_object(**{"aws:UserAgent": "aws-cli"})) == (F, "aws:securetransport")


def test_names_request_leaves_the_conditions_aside():
    statement = policy(
        {
            "Effect": "Deny",
            "Action": "s3:Get*",
            "Resource": "arn:aws:s3:::data/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ).statements[0]
    secure = get_object(**{"aws:SecureTransport": True})
    assert statement_matches(statement, secure) == (F, "aws:securetransport")
    assert names_request(statement, secure) is T
    assert names_request(statement, Request("s3:PutObject", OBJECT)) is F
    assert names_request(statement, Request("s3:GetObject", "arn:aws:s3:::public/x")) is F
    assert names_request(statement, Request("s3:GetObject", UnknownValue("an object"))) is U


def principal_statement(element: str, principal) -> dict:
    return {"Effect": "Allow", element: principal, "Action": "s3:GetObject", "Resource": "*"}


@pytest.mark.parametrize(
    "principal, request_arn, expected",
    [
        ("*", ROLE, T),
        ({"AWS": "*"}, ROLE, T),
        ({"AWS": ROLE}, ROLE, T),
        ({"AWS": "arn:aws:iam::123456789012:role/other"}, ROLE, F),
        ({"AWS": "123456789012"}, ROLE, T),
        ({"AWS": "arn:aws:iam::123456789012:root"}, ROLE, T),
        ({"AWS": "arn:aws:iam::210987654321:root"}, ROLE, F),
        ({"AWS": ["arn:aws:iam::210987654321:root", ROLE]}, ROLE, T),
        ({"Service": "redshift.amazonaws.com"}, ROLE, F),
        ({"Federated": "cognito-identity.amazonaws.com"}, ROLE, F),
        ({"CanonicalUser": "79a59df900b949e55d96a1e698fbace"}, ROLE, F),
        ({"Service": UnknownValue("var.service")}, ROLE, F),
        ({"AWS": UnknownValue("aws_iam_role.spectrum.arn")}, ROLE, U),
        ({"AWS": ROLE}, UnknownValue("aws_iam_role.spectrum.arn"), U),
        ({"AWS": "*"}, UnknownValue("aws_iam_role.spectrum.arn"), T),
        (UnknownValue("local.principal"), ROLE, U),
    ],
)
def test_principal_matching(principal, request_arn, expected):
    statement = policy(principal_statement("Principal", principal)).statements[0]
    assert statement_matches(statement, Request("s3:GetObject", OBJECT, principal_arn=request_arn)) == (expected, None)


def test_principal_account_given_explicitly():
    statement = policy(principal_statement("Principal", {"AWS": "210987654321"})).statements[0]
    request = Request("s3:GetObject", OBJECT, principal_arn=ROLE, principal_account="210987654321")
    assert statement_matches(statement, request) == (T, None)
    unknown_account = Request("s3:GetObject", OBJECT, principal_arn=ROLE, principal_account=UnknownValue("acct"))
    assert statement_matches(statement, unknown_account) == (U, None)


def test_not_principal_inverts():
    statement = policy(principal_statement("NotPrincipal", {"AWS": ROLE})).statements[0]
    assert statement_matches(statement, Request("s3:GetObject", OBJECT, principal_arn=ROLE)) == (F, None)
    other = "arn:aws:iam::123456789012:role/other"
    assert statement_matches(statement, Request("s3:GetObject", OBJECT, principal_arn=other)) == (T, None)


def test_principal_is_ignored_without_a_request_principal():
    statement = policy(principal_statement("Principal", {"Service": "redshift.amazonaws.com"})).statements[0]
    assert statement_matches(statement, Request("s3:GetObject", OBJECT)) == (T, None)


def test_unknown_condition_block_makes_the_statement_unknown():
    block = UnknownValue("var.conditions")
    statement = policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": block}})
    result = evaluate(get_object(), [("p", statement)])
    assert (result.decision, result.condition_key) == (Decision.UNKNOWN, "<unknown: var.conditions>")


def test_a_certain_mismatch_outweighs_an_unresolved_element():
    statement = policy(
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": UnknownValue("aws_s3_bucket.data.arn"),
            "Condition": {"NumericGreaterThan": {"s3:signatureAge": 600000}},
        }
    )
    request = get_object(**{"s3:signatureAge": 100000})
    assert statement_matches(statement.statements[0], request) == (F, "s3:signatureage")
    assert evaluate(request, [("p", statement)]).decision is Decision.IMPLICIT_DENY
