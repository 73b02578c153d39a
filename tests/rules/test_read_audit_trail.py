"""CKV_RSPEC_8's coverage logic: does a selector record every read Spectrum makes of a bucket's objects?"""
from __future__ import annotations

import pytest

from spectrum_guard.estate.audit import FieldCondition, Selector, Trail
from spectrum_guard.estate.model import ResourceRef, Unresolved
from spectrum_guard.policy import Tristate, UnknownValue, partly_known, placeholder
from spectrum_guard.rules.read_audit_trail import Reads, covers, index_trails, trail_covers

TRUE, FALSE, UNKNOWN = Tristate.TRUE, Tristate.FALSE, Tristate.UNKNOWN
DATA = FieldCondition("eventCategory", "Equals", ("Data",), "eventCategory Equals [Data]")
OBJECTS = FieldCondition("resources.type", "Equals", ("AWS::S3::Object",), "resources.type Equals [AWS::S3::Object]")


def condition(field, operator, *values):
    return FieldCondition(field, operator, values, f"{field} {operator} {list(values)}")


def selector(*conditions, base=(DATA, OBJECTS)):
    return Selector("selector", tuple(base) + conditions)


def arn(operator, *values):
    return condition("resources.ARN", operator, *values)


@pytest.mark.parametrize("value, prefixes, expected", [
    ("arn:aws:s3", [""], TRUE),
    ("arn:aws:s3:::", [""], TRUE),
    ("arn:aws:s3:::lake/", [""], TRUE),
    ("arn:aws:s3:::lake/", ["sales/", "events/"], TRUE),
    # A prefix is a partial cover: enough only when it covers every location Spectrum reads.
    ("arn:aws:s3:::lake/sales/", ["sales/"], TRUE),
    ("arn:aws:s3:::lake/sales/", ["sales/2024/"], TRUE),
    ("arn:aws:s3:::lake/sales/", ["sales/", "events/"], FALSE),
    ("arn:aws:s3:::lake/sales/", [""], FALSE),
    ("arn:aws:s3:::lake-archive/", [""], FALSE),
    ("arn:aws:s3:::other/", [""], FALSE),
])
def test_starts_with_covers_what_it_prefixes(value, prefixes, expected):
    assert covers(selector(arn("StartsWith", value)), Reads("lake", prefixes)).outcome is expected


def test_values_within_a_field_are_alternatives():
    assert covers(
        selector(arn("StartsWith", "arn:aws:s3:::other/", "arn:aws:s3:::lake/")), Reads("lake", [""])
    ).outcome is TRUE


@pytest.mark.parametrize("operator, value, expected", [
    ("NotStartsWith", "arn:aws:s3:::lake/", FALSE),  # excludes all of it
    ("NotStartsWith", "arn:aws:s3:::lake/sales/tmp/", FALSE),  # excludes part of what Spectrum reads
    ("NotStartsWith", "arn:aws:s3:::lake/events/", TRUE),  # elsewhere in the bucket
    ("NotStartsWith", "arn:aws:s3:::other/", TRUE),
    ("NotEquals", "arn:aws:s3:::lake/sales/part-0.parquet", FALSE),
    ("NotEquals", "arn:aws:s3:::other/x", TRUE),
    ("NotEndsWith", ".tmp", FALSE),
    ("Equals", "arn:aws:s3:::lake/sales/part-0.parquet", FALSE),  # one object, not every read
    ("EndsWith", ".parquet", FALSE),
])
def test_arn_operators(operator, value, expected):
    found = covers(selector(arn("StartsWith", "arn:aws:s3"), arn(operator, value)), Reads("lake", ["sales/"]))
    assert found.outcome is expected


def test_fields_of_one_selector_all_hold():
    both = selector(arn("StartsWith", "arn:aws:s3:::lake/"), arn("StartsWith", "arn:aws:s3:::other/"))
    assert covers(both, Reads("lake", [""])).outcome is FALSE


@pytest.mark.parametrize("read_only, expected", [(None, TRUE), ("true", TRUE), ("True", TRUE), ("false", FALSE)])
def test_read_only(read_only, expected):
    extra = () if read_only is None else (condition("readOnly", "Equals", read_only),)
    found = covers(selector(arn("StartsWith", "arn:aws:s3"), *extra), Reads("lake", [""]))
    assert found.outcome is expected
    if expected is FALSE:
        assert "records only writes" in found.reason


@pytest.mark.parametrize("base, reason", [
    ((OBJECTS,), "records no S3 object data events"),
    ((DATA,), "records no S3 object data events"),
    ((FieldCondition("eventCategory", "Equals", ("Management",), "eventCategory Equals [Management]"), OBJECTS),
     "records no S3 object data events"),
    ((DATA, FieldCondition("resources.type", "Equals", ("AWS::Lambda::Function",), "lambda")), "records no S3 object"),
])
def test_a_selector_needs_data_events_for_s3_objects(base, reason):
    found = covers(selector(arn("StartsWith", "arn:aws:s3"), base=base), Reads("lake", [""]))
    assert found.outcome is FALSE and reason in found.reason


@pytest.mark.parametrize("field, operator, value, expected", [
    ("eventName", "Equals", "GetObject", TRUE),
    ("eventName", "Equals", "PutObject", FALSE),
    ("eventName", "NotEquals", "GetObject", FALSE),
    ("eventName", "StartsWith", "Get", TRUE),
    ("eventSource", "Equals", "s3.amazonaws.com", TRUE),
    ("userIdentity.arn", "NotStartsWith", "arn:aws:sts::111122223333:assumed-role/etl", UNKNOWN),
])
def test_other_fields(field, operator, value, expected):
    found = covers(selector(arn("StartsWith", "arn:aws:s3"), condition(field, operator, value)), Reads("lake", [""]))
    assert found.outcome is expected


def test_unknown_values_that_matter_are_unknown_never_failed():
    unknown = UnknownValue("var.trail_arns")
    assert covers(selector(arn("StartsWith", unknown)), Reads("lake", [""])).outcome is UNKNOWN
    partly = partly_known(f"arn:aws:s3:::{placeholder('var.bucket', segment=True)}/", "var.bucket")
    assert covers(selector(arn("StartsWith", partly)), Reads("lake", [""])).outcome is UNKNOWN
    # Unknown, but its known part already rules it out or in.
    other = partly_known(f"arn:aws:s3:::other/{placeholder('var.prefix')}", "var.prefix")
    assert covers(selector(arn("StartsWith", other)), Reads("lake", [""])).outcome is FALSE
    assert covers(
        selector(arn("StartsWith", "arn:aws:s3"), arn("NotStartsWith", other)), Reads("lake", [""])
    ).outcome is TRUE
    read_only = condition("readOnly", "Equals", UnknownValue("var.read_only"))
    assert covers(selector(arn("StartsWith", "arn:aws:s3"), read_only), Reads("lake", [""])).outcome is UNKNOWN


def test_the_same_unknown_bucket_name_matches_itself():
    name = placeholder("template|Lake generated name", segment=True)
    value = partly_known(f"arn:aws:s3:::{name}/", "Fn::Sub ${Lake.Arn}/")
    assert covers(selector(arn("StartsWith", value)), Reads(name, [""])).outcome is TRUE
    assert covers(selector(arn("StartsWith", "arn:aws:s3:::other/")), Reads(name, [""])).outcome is UNKNOWN
    # Bucket names are globally unique: a value naming another bucket of the scan does not name this one.
    elsewhere = Reads(name, [""], scan_buckets={"other"})
    assert covers(selector(arn("StartsWith", "arn:aws:s3:::other/")), elsewhere).outcome is FALSE
    assert covers(
        selector(arn("StartsWith", "arn:aws:s3"), arn("NotStartsWith", "arn:aws:s3:::other/")), elsewhere
    ).outcome is TRUE


def trail(selectors, logging=True, name="main"):
    return Trail(ResourceRef(0, f"aws_cloudtrail.{name}", "main.tf"), logging, selectors)


def test_trails():
    records = selector(arn("StartsWith", "arn:aws:s3"))
    writes = selector(arn("StartsWith", "arn:aws:s3"), condition("readOnly", "Equals", "false"))
    assert trail_covers(trail((writes, records)), Reads("lake", [""])).outcome is TRUE  # any selector suffices
    assert trail_covers(trail(()), Reads("lake", [""])).outcome is FALSE
    assert "management events only" in trail_covers(trail(()), Reads("lake", [""])).reason
    assert trail_covers(trail((records,), logging=False), Reads("lake", [""])).outcome is FALSE
    assert trail_covers(trail((records,), logging=UnknownValue("var.on")), Reads("lake", [""])).outcome is UNKNOWN
    assert trail_covers(trail(Unresolved("Fn::If")), Reads("lake", [""])).outcome is UNKNOWN


def test_the_trail_index_leaves_out_only_trails_that_cannot_record_the_bucket():
    generated = placeholder("template|Lake generated name", segment=True)
    scan_buckets = {"a", "b", "c", generated}
    trails = [
        trail((selector(arn("StartsWith", "arn:aws:s3:::a/")),), name="only_a"),
        trail((selector(arn("StartsWith", "arn:aws:s3:::b/", "arn:aws:s3:::c/sales/")),), name="b_and_c"),
        trail((selector(arn("StartsWith", "arn:aws:s3:::a/")), selector(arn("StartsWith", "arn:aws:s3"))), name="all"),
        trail((selector(arn("StartsWith", "arn:aws:s3:::outside/")),), name="outside_the_scan"),
        trail((selector(arn("StartsWith", UnknownValue("var.arn"))),), name="unresolved_value"),
        trail((selector(arn("NotStartsWith", "arn:aws:s3:::a/")),), name="all_but_a"),
        trail((selector(arn("StartsWith", "arn:aws:s3:::a/"), arn("EndsWith", ".parquet")),), name="a_parquet"),
        trail((selector(arn("StartsWith", "arn:aws:s3:::a/")),), logging=UnknownValue("var.on"), name="maybe_a"),
        trail((selector(arn("StartsWith", "arn:aws:s3"),),), logging=False, name="stopped"),
        trail((), name="management_only"),
        trail(Unresolved("Fn::If"), name="conditional"),
        trail((selector(arn("StartsWith", partly_known(f"arn:aws:s3:::{generated}/", "${Lake.Arn}/"))),),
              name="generated"),
    ]
    index = index_trails(trails, scan_buckets)
    anywhere = ["all", "outside_the_scan", "unresolved_value", "all_but_a", "conditional"]
    expected = {
        "a": ["only_a", "all", "outside_the_scan", "unresolved_value", "all_but_a", "a_parquet", "maybe_a",
              "conditional"],
        "b": ["b_and_c", *anywhere],
        "c": ["b_and_c", *anywhere],
        generated: [*anywhere[:4], "conditional", "generated"],
        "not_in_scan": anywhere,
    }
    for bucket, names in expected.items():
        candidates = index.candidates(bucket)
        assert [found.resource.address.split(".")[1] for found in candidates] == names, bucket
        # Sound: every trail left out is one that cannot record the bucket's reads.
        reads = Reads(bucket, ["", "sales/"], scan_buckets=frozenset(scan_buckets))
        for left_out in (found for found in trails if found not in candidates):
            assert trail_covers(left_out, reads).outcome is FALSE, (bucket, left_out.resource.address)
