from __future__ import annotations

import json

import pytest

from spectrum_guard.policy import (
    Condition,
    PolicyDocument,
    PolicyError,
    Principal,
    Statement,
    Tristate,
    UnknownValue,
    all_of,
    any_of,
    negate,
    parse_policy,
)

T, F, U = Tristate.TRUE, Tristate.FALSE, Tristate.UNKNOWN


def single(statement: dict) -> Statement:
    (parsed,) = parse_policy({"Version": "2012-10-17", "Statement": [statement]}).statements
    return parsed


def test_kleene_logic():
    assert all_of([T, U]) is U
    assert all_of([U, F]) is F
    assert all_of([]) is T
    assert any_of([F, U]) is U
    assert any_of([U, T]) is T
    assert any_of([]) is F
    assert (negate(T), negate(F), negate(U)) == (F, T, U)
    assert (Tristate.of(True), Tristate.of(False)) == (T, F)


def test_tristate_has_no_truth_value():
    with pytest.raises(TypeError):
        bool(Tristate.FALSE)


def test_unknown_value_text():
    assert str(UnknownValue("aws_s3_bucket.data.arn")) == "<unknown: aws_s3_bucket.data.arn>"


def test_full_statement():
    document = {
        "Version": "2012-10-17",
        "Id": "bucket-policy",
        "Statement": [
            {
                "Sid": "DenyOldSignatures",
                "Effect": "Deny",
                "Principal": {"AWS": ["arn:aws:iam::123456789012:role/spectrum", "123456789012"]},
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
                "Condition": {
                    "NumericGreaterThan": {"s3:signatureAge": 600000},
                    "StringNotEquals": {"AWS:SourceVpce": ["vpce-1", "vpce-2"]},
                },
            }
        ],
    }
    assert parse_policy(document) == PolicyDocument(
        (
            Statement(
                index=0,
                sid="DenyOldSignatures",
                effect="Deny",
                actions=("s3:GetObject", "s3:ListBucket"),
                not_actions=None,
                resources=("arn:aws:s3:::data", "arn:aws:s3:::data/*"),
                not_resources=None,
                principals=(
                    Principal("AWS", "arn:aws:iam::123456789012:role/spectrum"),
                    Principal("AWS", "123456789012"),
                ),
                not_principals=None,
                conditions=(
                    Condition("NumericGreaterThan", "s3:signatureage", (600000,)),
                    Condition("StringNotEquals", "aws:sourcevpce", ("vpce-1", "vpce-2")),
                ),
            ),
        )
    )


def test_single_statement_object_and_scalars():
    parsed = parse_policy({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"}})
    (statement,) = parsed.statements
    assert statement.actions == ("s3:*",)
    assert statement.resources == ("*",)
    assert statement.principals == (Principal("*", "*"),)
    assert statement.conditions == ()
    assert statement.label == "statement #0"


def test_json_text_is_decoded():
    statements = [{"Effect": "Allow", "Action": "s3:GetObject"}, {"Sid": "Two", "Effect": "Deny", "NotAction": "iam:*"}]
    text = json.dumps({"Statement": statements})
    first, second = parse_policy(text).statements
    assert (first.index, first.label, first.resources, first.principals) == (0, "statement #0", None, None)
    assert (second.index, second.label, second.actions, second.not_actions) == (1, "Two", None, ("iam:*",))


def test_negated_elements():
    statement = single(
        {
            "Effect": "Deny",
            "NotAction": ["s3:Get*"],
            "NotResource": "arn:aws:s3:::x/*",
            "NotPrincipal": {"Service": "redshift.amazonaws.com"},
        }
    )
    assert statement.not_actions == ("s3:Get*",)
    assert statement.not_resources == ("arn:aws:s3:::x/*",)
    assert statement.not_principals == (Principal("Service", "redshift.amazonaws.com"),)
    assert (statement.actions, statement.resources, statement.principals) == (None, None, None)


def test_condition_keys_are_lower_cased_and_operators_kept_exactly():
    statement = single(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Condition": {
                "ForAnyValue:StringNotEqualsIfExists": {"AWS:PrincipalTag/Team": "a"},
                "madeUpOperator": {"K": "v"},
            },
        }
    )
    assert statement.conditions == (
        Condition("ForAnyValue:StringNotEqualsIfExists", "aws:principaltag/team", ("a",)),
        Condition("madeUpOperator", "k", ("v",)),
    )


def test_raw_scalar_values_are_kept():
    conditions = {"Bool": {"aws:SecureTransport": "true"}, "NumericLessThan": {"s3:signatureAge": ["600000", 5.5]}}
    statement = single({"Effect": "Allow", "Action": "s3:*", "Condition": conditions})
    assert [condition.values for condition in statement.conditions] == [("true",), ("600000", 5.5)]


def test_checkov_noise_keys_are_ignored_everywhere():
    noise = {"__startline__": 3, "__endline__": 9}
    statement = single(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root", **noise},
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012", **noise}, **noise},
            **noise,
        }
    )
    assert statement.principals == (Principal("AWS", "arn:aws:iam::123456789012:root"),)
    assert statement.conditions == (Condition("StringEquals", "aws:sourceaccount", ("123456789012",)),)
    assert parse_policy({"Statement": [], "__file__": "main.tf"}) == PolicyDocument(())


def test_unknown_values_are_kept_where_they_stand():
    bucket = UnknownValue("aws_s3_bucket.data.arn")
    role = UnknownValue("aws_iam_role.spectrum.arn")
    endpoint = UnknownValue("var.endpoint")
    statement = single(
        {
            "Sid": UnknownValue("var.sid"),
            "Effect": "Deny",
            "Principal": {"AWS": [role]},
            "Action": "s3:*",
            "Resource": [bucket, "arn:aws:s3:::x"],
            "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoint}},
        }
    )
    assert statement.sid is None
    assert statement.principals == (Principal("AWS", role),)
    assert statement.resources == (bucket, "arn:aws:s3:::x")
    assert statement.conditions == (Condition("StringNotEquals", "aws:sourcevpce", (endpoint,)),)


def test_unknown_blocks_become_unknown_entries():
    block = UnknownValue("var.conditions")
    statement = single({"Effect": "Allow", "Action": "s3:*", "Principal": block, "Condition": {"StringEquals": block}})
    assert statement.principals == (Principal("<unknown: var.conditions>", block),)
    assert statement.conditions == (Condition("<unknown: var.conditions>", "<unknown: var.conditions>", (block,)),)
    whole = single({"Effect": "Allow", "Action": "s3:*", "Condition": block}).conditions
    assert whole == (Condition("<unknown: var.conditions>", "<unknown: var.conditions>", (block,)),)


def deep_dict(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def allow_all(**elements) -> dict:
    return {"Statement": [{"Effect": "Allow", "Action": "s3:*", **elements}]}


@pytest.mark.parametrize(
    "document, message",
    [
        ({"Statement": None}, "Statement must be an object or a list, not None"),
        ({"Statement": 3}, "Statement must be an object or a list, not 3"),
        ({"Version": "2012-10-17"}, "no Statement"),
        ([], "must be a JSON object"),
        ("{not json", "not valid JSON"),
        (UnknownValue("var.policy"), "policy document is unknown (var.policy)"),
        ({"Statement": UnknownValue("local.statements")}, "Statement element is unknown (local.statements)"),
        ({"Statement": [UnknownValue("local.s")]}, "statement #0 is unknown (local.s)"),
        ({"Statement": ["Allow"]}, "statement #0 must be an object"),
        ({"Statement": [{"Action": "s3:*"}]}, "statement #0: Effect must be"),
        (allow_all(Effect="allow"), "statement #0: Effect must be \"Allow\" or \"Deny\", not 'allow'"),
        (allow_all(Effect=UnknownValue("var.effect")), "statement #0: Effect is unknown (var.effect)"),
        ({"Statement": [{"Effect": "Allow"}]}, "statement #0 has neither Action nor NotAction"),
        (allow_all(Action=7), "statement #0: Action must be a value or a list"),
        (allow_all(Action=["s3:*", ["x"]]), "statement #0: Action lists a value of type list"),
        (allow_all(NotAction="s3:Get*"), "both Action and NotAction"),
        (allow_all(Resource="*", NotResource="*"), "both Resource and NotResource"),
        (allow_all(Principal="*", NotPrincipal="*"), "both Principal and NotPrincipal"),
        (allow_all(Principal="arn:aws:iam::1:root"), 'a principal must be "*" or an object'),
        (allow_all(Principal={"aws": "*"}), "unknown principal type 'aws'"),
        (allow_all(Condition=[{"Bool": {"k": "true"}}]), "#0: Condition must be an object, not a value of type list"),
        (allow_all(Condition={"Bool": "true"}), "condition operator Bool must map keys to values"),
        (allow_all(Condition={"Bool": {"k": None}}), "statement #0: Bool k must be a value or a list"),
        (allow_all(Condition={1: {"aws:SourceVpce": "vpce-1"}}), "statement #0: condition operator 1 is not a string"),
        (allow_all(Condition={True: {"k": "v"}}), "statement #0: condition operator True is not a string"),
        (allow_all(Sid=5), "Sid must be a string"),
        ({"Statement": [{"Effect": "Allow", "action": "s3:*"}]}, "statement #0 has unexpected element(s): action"),
        ({"Statement": [], "statement": []}, "the policy has unexpected element(s): statement"),
        ({"Statement": [{"Effect": "Allow", "Action": "s3:*"}, {"Effect": "Deny"}]}, "statement #1 has neither Action"),
    ],
)
def test_wrong_shapes_raise_policy_error(document, message):
    with pytest.raises(PolicyError) as raised:
        parse_policy(document)
    assert message in str(raised.value)


def test_deeply_nested_documents_raise_policy_error_not_recursion_error():
    deep = deep_dict(10_000)
    for document in (
        deep,
        {"Statement": deep},
        {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Condition": {"StringEquals": {"k": deep}}}]},
        {"Statement": [{"Effect": deep, "Action": "s3:*"}]},
        {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Principal": deep}]},
        "[" * 10_000 + "]" * 10_000,
        '{"a":' * 10_000 + "1" + "}" * 10_000,
    ):
        with pytest.raises(PolicyError):
            parse_policy(document)
