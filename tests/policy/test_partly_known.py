"""Values the scan knows only in part: patterns, placeholders, and the AWS-managed source address."""
from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spectrum_guard.policy import (
    ANONYMOUS,
    Condition,
    ForeignAddress,
    Request,
    Tristate,
    UnknownValue,
    evaluate_condition,
    parse_policy,
    partly_known,
    placeholder,
    statement_matches,
    text_matches,
)

T, F, U = Tristate.TRUE, Tristate.FALSE, Tristate.UNKNOWN
ACCOUNT = placeholder("test: the account", segment=True)
OTHER_ACCOUNT = placeholder("test: another account", segment=True)
KEY = placeholder("test: the object key")
# The ARN of role etl-loader in an account the scan does not know.
ETL_ROLE = partly_known(f"arn:aws:iam::{ACCOUNT}:role/etl-loader", "the ARN of aws_iam_role.etl")
ANY_ACCOUNT_ROLE = UnknownValue("a role ARN", pattern="arn:aws:iam::*:role/etl-loader")


def test_placeholders_name_unknowns_consistently():
    assert placeholder("test: the account", segment=True) == ACCOUNT != OTHER_ACCOUNT
    assert placeholder("test: the account") != ACCOUNT
    assert partly_known("arn:aws:s3:::lake", "no unknown part") == "arn:aws:s3:::lake"
    assert ETL_ROLE.pattern == "arn:aws:iam::*:role/etl-loader"


@pytest.mark.parametrize(
    "policy_value, request_value, wildcards, expected",
    [
        # Every value the request's pattern admits matches, or none does, or it depends.
        ("arn:aws:iam::*:role/etl-*", ETL_ROLE, True, T),
        ("arn:aws:iam::*:role/etl-*", ANY_ACCOUNT_ROLE, True, T),
        ("arn:aws:iam::*:role/admin-*", ETL_ROLE, True, F),
        ("arn:aws:iam::111122223333:role/etl-loader", ETL_ROLE, True, U),
        ("arn:aws:iam::111122223333:role/etl-loader", ETL_ROLE, False, U),
        ("arn:aws:iam::111122223333:role/admin", ETL_ROLE, False, F),
        # The same placeholder on both sides is the same value; another one might differ.
        (ETL_ROLE, ETL_ROLE, False, T),
        (partly_known(f"arn:aws:iam::{OTHER_ACCOUNT}:role/etl-loader", "x"), ETL_ROLE, False, U),
        # A bare pattern's unknown parts have no identity, so equality with them is never certain.
        (ANY_ACCOUNT_ROLE, ANY_ACCOUNT_ROLE, False, U),
        ("arn:aws:iam::*:role/etl-?oader", ETL_ROLE, True, T),
        # `?` is one character, an unknown part may be any length.
        ("arn:aws:iam::?:role/etl-loader", ETL_ROLE, True, U),
        # An object key known only by its prefix.
        ("arn:aws:s3:::lake/*", partly_known(f"arn:aws:s3:::lake/sales/{KEY}", "key"), True, T),
        ("arn:aws:s3:::lake/sales/*", partly_known(f"arn:aws:s3:::lake/sales/{KEY}", "key"), True, T),
        ("arn:aws:s3:::lake/hr/*", partly_known(f"arn:aws:s3:::lake/sales/{KEY}", "key"), True, F),
        ("arn:aws:s3:::lake/*.parquet", partly_known(f"arn:aws:s3:::lake/sales/{KEY}", "key"), True, U),
        # A policy value known only in part.
        (UnknownValue("var.bucket", pattern="arn:aws:s3:::*/*"), "arn:aws:s3:::lake/x", True, U),
        (UnknownValue("var.bucket", pattern="arn:aws:s3:::logs-*/*"), "arn:aws:s3:::lake/x", True, F),
        (UnknownValue("Fn::If"), "arn:aws:s3:::lake/x", True, U),
        ("arn:aws:s3:::lake/*", UnknownValue("no shape"), True, U),
    ],
)
def test_text_matches(policy_value, request_value, wildcards, expected):
    assert text_matches(policy_value, request_value, wildcards) is expected


def test_a_segment_never_spans_a_separator():
    # Were the account any text, it could hold ":role/admin-x" and the whole ARN could match.
    any_text_account = partly_known(f"arn:aws:iam::{placeholder('test: any text')}:role/etl-loader", "x")
    assert text_matches("arn:aws:iam::*:role/admin-*", any_text_account, wildcards=True) is U
    assert text_matches("arn:aws:iam::*:role/admin-*", ETL_ROLE, wildcards=True) is F


def test_policy_variables_never_match_for_certain_even_against_a_placeholder():
    assert text_matches("arn:aws:iam::*:role/${aws:username}", ETL_ROLE, wildcards=True) is U


def test_ignore_case_applies_to_known_text_only():
    assert text_matches("ARN:AWS:IAM::*:ROLE/ETL-*", ETL_ROLE, wildcards=True, ignore_case=True) is T
    assert text_matches("ARN:AWS:IAM::*:ROLE/ETL-*", ETL_ROLE, wildcards=True) is F


def test_anonymous_parts_match_inside_a_wildcard_only():
    anonymous_role = partly_known(f"arn:aws:iam::{ANONYMOUS}:role/{ANONYMOUS}", "a Spectrum role outside the scan")
    assert text_matches("arn:aws:iam::*:role/*", anonymous_role, wildcards=True) is T
    assert text_matches("arn:aws:iam::*:role/etl-*", anonymous_role, wildcards=True) is U
    assert text_matches(anonymous_role, anonymous_role, wildcards=False) is U


@pytest.mark.parametrize(
    "operator, policy_value, expected",
    [
        ("ArnLike", "arn:aws:iam::*:role/etl-*", T),
        ("ArnNotLike", "arn:aws:iam::*:role/etl-*", F),
        ("ArnEquals", "arn:aws:iam::111122223333:role/etl-loader", U),
        ("ArnNotEquals", "arn:aws:iam::*:role/admin", T),
        ("StringLike", "arn:aws:iam::*:role/etl-*", T),
        ("StringNotEquals", "arn:aws:iam::111122223333:role/admin", T),
        ("ArnEquals", ETL_ROLE, T),
        ("ArnNotEquals", ETL_ROLE, F),
    ],
)
def test_partly_known_principal_arn_in_conditions(operator, policy_value, expected):
    condition = Condition(operator, "aws:principalarn", (policy_value,))
    assert evaluate_condition(condition, {"aws:principalarn": ETL_ROLE}) is expected


def test_arn_operators_on_a_request_value_without_six_parts():
    unknown_arn = UnknownValue("computed", pattern="*")
    condition = Condition("ArnLike", "aws:principalarn", ("arn:aws:iam::*:role/etl-*",))
    assert evaluate_condition(condition, {"aws:principalarn": unknown_arn}) is U


@pytest.mark.parametrize(
    "operator, networks, expected",
    [
        ("IpAddress", ["10.0.0.0/8"], F),
        ("IpAddress", ["203.0.113.0/24", "172.16.0.0/12"], F),
        ("IpAddress", [UnknownValue("var.office_cidrs")], F),
        ("IpAddress", ["0.0.0.0/0"], T),
        ("IpAddress", ["::/0"], U),
        ("NotIpAddress", ["10.0.0.0/8", "192.168.0.0/16"], T),
        ("NotIpAddress", [UnknownValue("var.office_cidrs")], T),
        ("NotIpAddress", ["0.0.0.0/0"], F),
        ("NotIpAddressIfExists", ["198.51.100.0/24"], T),
    ],
)
def test_foreign_source_address(operator, networks, expected):
    condition = Condition(operator, "aws:sourceip", tuple(networks))
    assert evaluate_condition(condition, {"aws:sourceip": ForeignAddress()}) is expected


def test_foreign_address_is_present_for_null_and_unknown_to_string_operators():
    context = {"aws:sourceip": ForeignAddress()}
    assert evaluate_condition(Condition("Null", "aws:sourceip", ("true",)), context) is F
    assert evaluate_condition(Condition("StringEquals", "aws:sourceip", ("10.0.0.1",)), context) is U


def test_other_keys_may_be_unknown_rather_than_absent():
    statement = parse_policy(
        {"Statement": {"Effect": "Deny", "Action": "s3:*",
                       "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}}}
    ).statements[0]
    absent = Request("s3:GetObject", "arn:aws:s3:::lake/x")
    unknown = Request("s3:GetObject", "arn:aws:s3:::lake/x", other_keys=UnknownValue("not modelled"))
    assert statement_matches(statement, absent) == (T, "aws:principalorgid")
    assert statement_matches(statement, unknown) == (U, "aws:principalorgid")
    listed = Request("s3:GetObject", "x", context={"aws:PrincipalOrgID": "o-1"}, other_keys=UnknownValue("x"))
    assert statement_matches(statement, listed) == (F, "aws:principalorgid")


def principal_statement(principal) -> object:
    return parse_policy(
        {"Statement": {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject"}}
    ).statements[0]


@pytest.mark.parametrize(
    "principal, expected",
    [
        ({"AWS": ETL_ROLE}, T),
        ({"AWS": "arn:aws:iam::111122223333:role/etl-loader"}, U),
        ({"AWS": "arn:aws:iam::111122223333:role/other"}, F),
        ({"AWS": "111122223333"}, U),
        ({"AWS": partly_known(f"arn:aws:iam::{ACCOUNT}:root", "this account")}, T),
        ({"AWS": partly_known(f"arn:aws:iam::{OTHER_ACCOUNT}:root", "another account")}, U),
        ({"AWS": UnknownValue("var.principal")}, U),
    ],
)
def test_principal_matching_with_a_partly_known_role(principal, expected):
    request = Request("s3:GetObject", "arn:aws:s3:::lake/x", principal_arn=ETL_ROLE)
    assert statement_matches(principal_statement(principal), request) == (expected, None)


SEGMENT_HOLE = placeholder("test: a segment", segment=True)
TEXT_HOLE = placeholder("test: some text")
# What each placeholder may stand for, in a small alphabet: enough to break an unsound answer.
FILLINGS = {SEGMENT_HOLE: ["", "a", "ab", "ba"], TEXT_HOLE: ["", "a", ":", "b:a", "ab:"]}


@given(
    policy=st.text(alphabet="ab:*?", max_size=6),
    request=st.lists(st.sampled_from(["a", "b", ":", SEGMENT_HOLE, TEXT_HOLE]), max_size=5).map("".join),
)
def test_text_matches_agrees_with_every_filling_of_the_placeholders(policy, request):
    outcome = text_matches(policy, partly_known(request, "test"), wildcards=True)
    regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in policy), re.DOTALL)
    holes = [c for c in dict.fromkeys(request) if c in FILLINGS]
    results = set()
    for values in itertools.product(*(FILLINGS[hole] for hole in holes)):
        concrete = request
        for hole, value in zip(holes, values):
            concrete = concrete.replace(hole, value)
        results.add(regex.fullmatch(concrete) is not None)
    if outcome is T:
        assert results == {True}
    elif outcome is F:
        assert results == {False}
