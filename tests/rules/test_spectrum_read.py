"""The Spectrum request and the cause each obstacle is filed under, on small estates built in-process."""
from __future__ import annotations

import json
from typing import Dict, Optional, Set, Tuple

import pytest
from estate_builder import terraform_estate

from spectrum_guard.config import Configuration, DeclaredBucket, DeclaredRole
from spectrum_guard.rules import network_origin, other_denials, presigned_urls, signature_age, spectrum_read
from spectrum_guard.rules.spectrum_read import Cause, Obstacle, assessments

RULES = {
    Cause.NETWORK_ORIGIN: network_origin.RULE,
    Cause.SIGNATURE_AGE: signature_age.RULE,
    Cause.PRESIGNED_URL: presigned_urls.RULE,
    Cause.OTHER: other_denials.RULE,
}
OBJECTS = "arn:aws:s3:::acme-lake/*"
READ_LAKE = {
    "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::acme-lake", OBJECTS]
}


def statement(effect: str, condition: Optional[dict] = None, **elements) -> dict:
    found = {"Effect": effect, "Principal": "*", "Action": "s3:GetObject", "Resource": OBJECTS, **elements}
    if condition:
        found["Condition"] = condition
    return found


def deny(condition: Optional[dict] = None, **elements) -> dict:
    return statement("Deny", condition, **elements)


def lake(
    tmp_path,
    bucket_statements: Optional[list] = None,
    role_statements: Tuple[dict, ...] = (READ_LAKE,),
    reader: str = "cluster",
    extra: str = "",
    configuration: Configuration = Configuration(),
):
    """A cluster (or namespace), its Spectrum role with a policy, and the bucket acme-lake with a policy."""
    readers = {
        "none": "",
        "cluster": """
resource "aws_redshift_cluster" "analytics" {
  cluster_identifier = "analytics"
  node_type          = "ra3.xlplus"
  iam_roles          = [aws_iam_role.spectrum.arn]
}""",
        "serverless": """
resource "aws_redshiftserverless_namespace" "lakehouse" {
  namespace_name = "lakehouse"
  iam_roles      = [aws_iam_role.spectrum.arn]
}
resource "aws_redshiftserverless_workgroup" "lakehouse" {
  namespace_name       = aws_redshiftserverless_namespace.lakehouse.namespace_name
  workgroup_name       = "lakehouse"
  enhanced_vpc_routing = true
}""",
    }
    bucket_policy = ""
    if bucket_statements is not None:
        document = json.dumps({"Version": "2012-10-17", "Statement": bucket_statements})
        bucket_policy = f"""
resource "aws_s3_bucket_policy" "lake" {{
  bucket = aws_s3_bucket.lake.id
  policy = <<POLICY
{document}
POLICY
}}"""
    role_policy = json.dumps({"Version": "2012-10-17", "Statement": list(role_statements)})
    text = f"""
variable "endpoint_id" {{
  type = string
}}
variable "office_cidrs" {{
  type = list(string)
}}
variable "max_signature_age" {{
  type = number
}}
resource "aws_iam_role" "spectrum" {{
  name               = "acme-spectrum"
  assume_role_policy = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Allow", Action = "sts:AssumeRole",
    Principal = {{ Service = "redshift.amazonaws.com" }} }}]}})
}}
resource "aws_iam_role_policy" "read" {{
  role   = aws_iam_role.spectrum.id
  policy = <<POLICY
{role_policy}
POLICY
}}
resource "aws_s3_bucket" "lake" {{
  bucket = "acme-lake"
}}
resource "aws_glue_catalog_table" "orders" {{
  name          = "orders"
  database_name = "sales"
  storage_descriptor {{
    location = "s3://acme-lake/orders/"
  }}
}}
{readers[reader]}
{bucket_policy}
{extra}
"""
    _, estate = terraform_estate(tmp_path, text, configuration)
    return estate


Results = Dict[Cause, Set[Tuple[str, str]]]


def results(estate) -> Results:
    """Per cause: (resource, outcome) of every verdict."""
    found: Results = {}
    for cause, rule in RULES.items():
        verdicts = [rule.judge(subject, estate) for subject in rule.subjects(estate)]
        found[cause] = {(str(verdict.subject), verdict.outcome.value) for verdict in verdicts}
    return found


def only(cause: Cause, outcome: str, resource: str, elsewhere: str = "aws_s3_bucket_policy.lake") -> Results:
    """`cause` gives `outcome` on `resource`; every other cause passes on the bucket's home resource."""
    return {other: {(resource, outcome)} if other is cause else {(elsewhere, "PASSED")} for other in Cause}


def all_pass(resource: str = "aws_s3_bucket_policy.lake") -> Results:
    return {cause: {(resource, "PASSED")} for cause in Cause}


VPCE = "vpce-1a2b3c4d"


@pytest.mark.parametrize("key", ["aws:SourceVpce", "aws:sourceVpce", "AWS:SOURCEVPCE"])
def test_a_deny_unless_through_an_endpoint_stops_a_provisioned_cluster(tmp_path, key):
    estate = lake(tmp_path, [deny({"StringNotEquals": {key: VPCE}})])
    assert results(estate) == only(Cause.NETWORK_ORIGIN, "FAILED", "aws_s3_bucket_policy.lake")


def test_the_message_names_bucket_role_statement_key_value_and_fix(tmp_path):
    estate = lake(tmp_path, [deny({"StringNotEqualsIfExists": {"aws:SourceVpce": VPCE}}, Sid="OnlyThroughTheEndpoint")])
    [obstacle] = assessments(estate, Cause.NETWORK_ORIGIN)
    reason = network_origin.judge(obstacle, estate).reason
    for part in ("acme-lake", "aws_iam_role.spectrum", "aws_redshift_cluster.analytics", "OnlyThroughTheEndpoint",
                 "aws_s3_bucket_policy.lake", "aws:sourcevpce", VPCE, "Fix:"):
        assert part in reason, part


def test_an_unresolved_endpoint_still_stops_a_request_without_the_key(tmp_path):
    extra_policy = "${var.endpoint_id}"
    estate = lake(tmp_path, [deny({"StringNotEquals": {"aws:SourceVpce": extra_policy}})])
    assert results(estate) == only(Cause.NETWORK_ORIGIN, "FAILED", "aws_s3_bucket_policy.lake")


def test_a_deny_whose_other_conditions_exempt_the_spectrum_role_does_not_apply(tmp_path):
    exempt = {
        "StringNotEquals": {"aws:SourceVpce": VPCE},
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/acme-spectrum"},
    }
    assert results(lake(tmp_path, [deny(exempt)])) == all_pass()
    (tmp_path / "other").mkdir()
    other = {
        "StringNotEquals": {"aws:SourceVpce": VPCE},
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"},
    }
    assert results(lake(tmp_path / "other", [deny(other)])) == only(
        Cause.NETWORK_ORIGIN, "FAILED", "aws_s3_bucket_policy.lake"
    )


def test_an_endpoint_condition_on_a_bucket_policy_allow_does_not_matter_to_a_same_account_role(tmp_path):
    estate = lake(tmp_path, [statement("Allow", {"StringEquals": {"aws:SourceVpce": VPCE}})])
    assert results(estate) == all_pass()


def test_an_identity_policy_that_allows_only_through_an_endpoint_stops_the_read(tmp_path):
    allow = dict(READ_LAKE, Condition={"StringEquals": {"aws:SourceVpce": VPCE}})
    estate = lake(tmp_path, role_statements=(allow,))
    assert results(estate) == only(Cause.NETWORK_ORIGIN, "FAILED", "aws_iam_role_policy.read", "aws_s3_bucket.lake")


def test_source_ip_conditions(tmp_path):
    office = deny({"NotIpAddress": {"aws:SourceIp": "${var.office_cidrs}"}})
    assert results(lake(tmp_path, [office])) == only(Cause.NETWORK_ORIGIN, "FAILED", "aws_s3_bucket_policy.lake")
    (tmp_path / "blocklist").mkdir()
    blocklist = deny({"IpAddress": {"aws:SourceIp": ["198.51.100.0/24", "10.0.0.0/8"]}})
    assert results(lake(tmp_path / "blocklist", [blocklist])) == all_pass()


def test_a_serverless_workgroup_with_enhanced_vpc_routing_gets_no_network_finding(tmp_path):
    estate = lake(tmp_path, [deny({"StringNotEquals": {"aws:SourceVpce": VPCE}})], reader="serverless")
    assert results(estate) == all_pass()


@pytest.mark.parametrize(
    "condition",
    [
        {"NumericGreaterThan": {"s3:signatureAge": 600000}},
        {"NumericGreaterThan": {"s3:signatureAge": "600000"}},
        {"NumericGreaterThanEquals": {"s3:signatureAge": 3600000}},
        {"NumericGreaterThanIfExists": {"s3:signatureAge": "900000"}},
    ],
)
def test_a_signature_age_deny_below_the_hour(tmp_path, condition):
    estate = lake(tmp_path, [deny(condition)])
    assert results(estate) == only(Cause.SIGNATURE_AGE, "FAILED", "aws_s3_bucket_policy.lake")


def test_signature_age_limits_that_admit_the_hour(tmp_path):
    estate = lake(tmp_path, [deny({"NumericGreaterThan": {"s3:signatureAge": 3600000}})])
    assert results(estate) == all_pass()


def test_the_ages_a_limit_stops_are_reported(tmp_path):
    estate = lake(tmp_path, [deny({"NumericGreaterThan": {"s3:signatureAge": 600000}})])
    [obstacle] = assessments(estate, Cause.SIGNATURE_AGE)
    assert (obstacle.ages[0], obstacle.ages[-1]) == (600001, 3600000)
    assert "It stops signatures aged from 600001 to 3600000 ms." in signature_age.judge(obstacle, estate).reason


def test_an_unresolved_signature_age_limit_is_unknown(tmp_path):
    estate = lake(tmp_path, [deny({"NumericGreaterThan": {"s3:signatureAge": "${var.max_signature_age}"}})])
    assert results(estate) == only(Cause.SIGNATURE_AGE, "UNKNOWN", "aws_s3_bucket_policy.lake")


def test_the_only_allow_requiring_a_young_signature(tmp_path):
    allow = dict(READ_LAKE, Condition={"NumericLessThanEquals": {"s3:signatureAge": 900000}})
    estate = lake(tmp_path, role_statements=(allow,))
    assert results(estate) == only(Cause.SIGNATURE_AGE, "FAILED", "aws_iam_role_policy.read", "aws_s3_bucket.lake")


def test_a_configured_threshold(tmp_path):
    configuration = Configuration(signature_age_threshold_ms=600000)
    estate = lake(tmp_path, [deny({"NumericGreaterThan": {"s3:signatureAge": 600000}})], configuration=configuration)
    assert results(estate) == all_pass()


@pytest.mark.parametrize(
    "condition, outcome",
    [
        ({"StringEquals": {"s3:authType": "REST-QUERY-STRING"}}, "FAILED"),
        ({"StringNotEquals": {"s3:authType": "REST-HEADER"}}, "FAILED"),
        ({"StringEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}}, "FAILED"),
        ({"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}}, "PASSED"),
        ({"StringEquals": {"s3:signatureversion": "AWS"}}, "PASSED"),
    ],
)
def test_presigned_url_and_signature_version_conditions(tmp_path, condition, outcome):
    estate = lake(tmp_path, [deny(condition)])
    assert results(estate) == only(Cause.PRESIGNED_URL, outcome, "aws_s3_bucket_policy.lake")


@pytest.mark.parametrize(
    "statements",
    [
        [deny({"StringNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/admin-*"]}})],
        [deny(Principal={"AWS": "${aws_iam_role.spectrum.arn}"})],
        [deny({"StringNotEquals": {"aws:UserAgent": "aws-cli"}})],
        [deny({"Bool": {"aws:SecureTransport": "true"}})],
    ],
    ids=["allow-list without the role", "deny naming the role", "user agent", "secure transport inverted"],
)
def test_other_denials(tmp_path, statements):
    assert results(lake(tmp_path, statements)) == only(Cause.OTHER, "FAILED", "aws_s3_bucket_policy.lake")


def test_transport_and_encryption_denies_never_affect_spectrum(tmp_path):
    statements = [
        deny({"Bool": {"aws:SecureTransport": "false"}}, Action="s3:*"),
        deny({"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}, Action="s3:PutObject"),
        deny({"Null": {"s3:x-amz-server-side-encryption": "true"}}, Action="s3:PutObject"),
        deny({"NumericLessThan": {"s3:TlsVersion": 1.2}}, Action="s3:*"),
    ]
    assert results(lake(tmp_path, statements)) == all_pass()


def test_a_tls_version_that_s3_may_or_may_not_negotiate_is_unknown(tmp_path):
    statements = [deny({"NumericLessThan": {"s3:TlsVersion": "1.3"}}, Action="s3:*")]
    assert results(lake(tmp_path, statements)) == only(Cause.OTHER, "UNKNOWN", "aws_s3_bucket_policy.lake")


def test_a_user_agent_allow_that_does_not_match_spectrum(tmp_path):
    allow = dict(READ_LAKE, Condition={"StringEquals": {"aws:UserAgent": "aws-sdk-java"}})
    estate = lake(tmp_path, role_statements=(allow,))
    assert results(estate) == only(Cause.OTHER, "FAILED", "aws_iam_role_policy.read", "aws_s3_bucket.lake")
    (tmp_path / "spectrum").mkdir()
    allow = dict(READ_LAKE, Condition={"StringEquals": {"aws:UserAgent": "AWS Redshift/Spectrum"}})
    assert results(lake(tmp_path / "spectrum", role_statements=(allow,))) == all_pass("aws_s3_bucket.lake")


def test_no_allow_at_all_is_reported_on_the_role(tmp_path):
    glue_only = {"Effect": "Allow", "Action": "glue:GetTable", "Resource": "*"}
    estate = lake(tmp_path, role_statements=(glue_only,))
    assert results(estate) == only(Cause.OTHER, "FAILED", "aws_iam_role.spectrum", "aws_s3_bucket.lake")


def test_an_identity_policy_that_cannot_be_read_may_supply_the_allow(tmp_path):
    # As a plan shows a policy built from an ARN computed at apply time: the role's grant is unknown, not absent.
    glue_only = {"Effect": "Allow", "Action": "glue:GetTable", "Resource": "*"}
    unread = """
variable "lake_policy" {
  type = string
}
resource "aws_iam_role_policy" "unread" {
  role   = aws_iam_role.spectrum.id
  policy = var.lake_policy
}"""
    estate = lake(tmp_path, role_statements=(glue_only,), extra=unread)
    found = results(estate)
    assert found[Cause.OTHER] == {("aws_iam_role_policy.unread", "UNKNOWN"), ("aws_iam_role.spectrum", "UNKNOWN")}
    others = {cause: found[cause] for cause in Cause if cause is not Cause.OTHER}
    assert others == {cause: {("aws_iam_role_policy.unread", "UNKNOWN")} for cause in others}
    [missing_allow] = [
        subject for subject in assessments(estate, Cause.OTHER) if str(subject.resource) == "aws_iam_role.spectrum"
    ]
    assert missing_allow.what.endswith("cannot be decided: aws_iam_role_policy.unread cannot be read")


def test_a_policy_held_elsewhere_may_supply_the_allow(tmp_path):
    glue_only = {"Effect": "Allow", "Action": "glue:GetTable", "Resource": "*"}
    attachment = """
resource "aws_iam_role_policy_attachment" "s3" {
  role       = aws_iam_role.spectrum.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}"""
    assert results(lake(tmp_path, role_statements=(glue_only,), extra=attachment)) == all_pass("aws_s3_bucket.lake")


def test_an_scp_in_the_scan_applies(tmp_path):
    scp = """
resource "aws_organizations_policy" "guardrails" {
  name    = "guardrails"
  content = jsonencode({Version = "2012-10-17", Statement = [
    {Effect = "Deny", Action = "s3:*", Resource = "*", Condition = { NumericGreaterThan = { "s3:signatureAge" = 600000 } } },
    {Effect = "Deny", Action = "s3:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
  ]})
}"""
    estate = lake(tmp_path, extra=scp)
    assert results(estate) == only(
        Cause.SIGNATURE_AGE, "FAILED", "aws_organizations_policy.guardrails", "aws_s3_bucket.lake"
    )


def test_an_unreadable_bucket_policy_makes_every_cause_unknown(tmp_path):
    broken = """
resource "aws_s3_bucket_policy" "lake" {
  bucket = aws_s3_bucket.lake.id
  policy = "{not json"
}"""
    estate = lake(tmp_path, extra=broken)
    assert results(estate) == {cause: {("aws_s3_bucket_policy.lake", "UNKNOWN")} for cause in Cause}
    assert all(subject.malformed for subject in assessments(estate, Cause.OTHER) if isinstance(subject, Obstacle))


def test_a_defect_on_one_bucket_leaves_it_unknown_and_spares_the_others(tmp_path, monkeypatch):
    other = """
resource "aws_s3_bucket" "other" {
  bucket = "acme-other"
}"""
    estate = lake(tmp_path, role_statements=(READ_LAKE, {**READ_LAKE, "Resource": "arn:aws:s3:::acme-other/*"}),
                  bucket_statements=[], extra=other)
    obstacles = spectrum_read._Assessor.obstacles

    def failing_on_the_lake(assessor):
        if assessor.bucket.bucket.name == "acme-lake":
            raise RuntimeError("simulated defect")
        return obstacles(assessor)

    monkeypatch.setattr(spectrum_read._Assessor, "obstacles", failing_on_the_lake)
    assert results(estate) == {
        cause: {("aws_s3_bucket_policy.lake", "UNKNOWN"), ("aws_s3_bucket.other", "PASSED")} for cause in Cause
    }
    unknown = [subject for subject in assessments(estate, Cause.OTHER) if isinstance(subject, Obstacle)]
    assert [(subject.malformed, subject.what) for subject in unknown] == [
        (True, "internal error while evaluating its policies: RuntimeError('simulated defect')")
    ]


def test_a_bucket_read_from_another_account_needs_the_bucket_policy_to_allow(tmp_path):
    partner_role = "arn:aws:iam::444455556666:role/partner-spectrum"
    configuration = Configuration(
        spectrum_buckets=(DeclaredBucket("acme-lake", account="111122223333"),),
        spectrum_roles=(DeclaredRole(partner_role),),
    )
    tls_only = deny({"Bool": {"aws:SecureTransport": "false"}})
    estate = lake(tmp_path, [tls_only], role_statements=(), reader="none", configuration=configuration)
    assert results(estate) == only(Cause.OTHER, "FAILED", "aws_s3_bucket_policy.lake")
    [obstacle] = assessments(estate, Cause.OTHER)
    assert "in the bucket policy, which a read from another account needs" in obstacle.what
    (tmp_path / "granted").mkdir()
    grant = statement("Allow", Principal={"AWS": partner_role})
    estate = lake(
        tmp_path / "granted", [tls_only, grant], role_statements=(), reader="none", configuration=configuration
    )
    assert results(estate) == all_pass()


READ_EVERY_BUCKET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def more_broad_readers(count: int) -> str:
    """`count` more clusters, each with a role allowed s3:GetObject on every bucket."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": [READ_EVERY_BUCKET]})
    return "".join(f"""
resource "aws_iam_role" "other_{n}" {{
  name               = "other-{n}"
  assume_role_policy = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Allow", Action = "sts:AssumeRole",
    Principal = {{ Service = "redshift.amazonaws.com" }} }}]}})
}}
resource "aws_iam_role_policy" "other_{n}" {{
  role   = aws_iam_role.other_{n}.id
  policy = <<POLICY
{policy}
POLICY
}}
resource "aws_redshift_cluster" "other_{n}" {{
  cluster_identifier = "other-{n}"
  node_type          = "ra3.xlplus"
  iam_roles          = [aws_iam_role.other_{n}.arn]
}}""" for n in range(count))


def test_a_glue_only_bucket_read_by_many_roles_is_judged_once_for_whichever_reads_it(tmp_path):
    vpce_only = deny({"StringNotEquals": {"aws:SourceVpce": VPCE}})
    estate = lake(tmp_path, [vpce_only], role_statements=(READ_EVERY_BUCKET,), extra=more_broad_readers(4))
    assert results(estate) == only(Cause.NETWORK_ORIGIN, "FAILED", "aws_s3_bucket_policy.lake")
    verdicts = [network_origin.RULE.judge(subject, estate) for subject in network_origin.RULE.subjects(estate)]
    [failed] = [verdict for verdict in verdicts if verdict.outcome.value == "FAILED"]
    assert "role any of the 5 Spectrum roles allowed to read every bucket (" in failed.reason
    assert "cannot read bucket acme-lake: statement #0 of aws_s3_bucket_policy.lake denies" in failed.reason


def test_a_statement_naming_particular_roles_is_undecided_for_whichever_of_many_reads(tmp_path):
    only_etl = deny({"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/etl-*"}})
    (tmp_path / "one").mkdir()
    (tmp_path / "many").mkdir()
    one_reader = lake(tmp_path / "one", [only_etl], role_statements=(READ_EVERY_BUCKET,))
    assert results(one_reader) == only(Cause.OTHER, "FAILED", "aws_s3_bucket_policy.lake")
    many = lake(tmp_path / "many", [only_etl], role_statements=(READ_EVERY_BUCKET,), extra=more_broad_readers(4))
    assert results(many) == only(Cause.OTHER, "UNKNOWN", "aws_s3_bucket_policy.lake")
