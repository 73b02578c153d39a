"""Trails' selectors in one form, and server access logging, read from Terraform and CloudFormation."""
from __future__ import annotations

from pathlib import Path

import pytest
from estate_builder import cloudformation_estate, plan_estate, terraform_estate

from spectrum_guard.estate.model import Unresolved
from spectrum_guard.policy import UnknownValue


def conditions(selector):
    return {
        (c.field, c.operator, tuple(v if isinstance(v, str) else "?" for v in c.values)) for c in selector.conditions
    }


def test_terraform_basic_and_advanced_selectors_and_logging(tmp_path):
    _, estate = terraform_estate(tmp_path, """
resource "aws_s3_bucket" "lake" { bucket = "acme-lake" }
resource "aws_s3_bucket" "old" {
  bucket = "acme-old"
  logging { target_bucket = "acme-logs" }
}
resource "aws_s3_bucket" "quiet" { bucket = "acme-quiet" }
resource "aws_s3_bucket_logging" "lake" {
  bucket        = aws_s3_bucket.lake.id
  target_bucket = "acme-logs"
}
resource "aws_cloudtrail" "basic" {
  name           = "basic"
  s3_bucket_name = "acme-trail"
  event_selector {
    read_write_type = "ReadOnly"
    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.lake.arn}/", "arn:aws:s3:::acme-old", "arn:${data.aws_partition.current.partition}:s3:::x/"]
    }
  }
  event_selector { include_management_events = true }
}
resource "aws_cloudtrail" "advanced" {
  name           = "advanced"
  s3_bucket_name = "acme-trail"
  enable_logging = false
  advanced_event_selector {
    name = "reads"
    field_selector {
      field  = "readOnly"
      equals = ["true"]
    }
    field_selector {
      field           = "resources.ARN"
      starts_with     = ["${aws_s3_bucket.lake.arn}/sales/"]
      not_starts_with = [var.excluded]
    }
  }
}
""")
    audit = estate.read_audit
    basic, advanced = audit.trails
    assert basic.logging is True and advanced.logging is False
    [selector] = basic.selectors  # the management-only selector records no data event
    assert conditions(selector) == {
        ("eventCategory", "Equals", ("Data",)),
        ("resources.type", "Equals", ("AWS::S3::Object",)),
        # The partition is the trail's own, whatever it is written as; a bare bucket ARN names no object.
        ("resources.ARN", "StartsWith", ("arn:aws:s3:::acme-lake/", "arn:aws:s3:::x/")),
        ("readOnly", "Equals", ("true",)),
    }
    assert selector.ignored_values == ("arn:aws:s3:::acme-old",)
    [selector] = advanced.selectors
    assert selector.label == "advanced_event_selector[0] (reads)"
    assert conditions(selector) == {
        ("readOnly", "Equals", ("true",)),
        ("resources.ARN", "StartsWith", ("arn:aws:s3:::acme-lake/sales/",)),
        ("resources.ARN", "NotStartsWith", ("?",)),
    }
    logging = {str(bucket): audit.logging_of(bucket) for bucket in estate.buckets}
    assert logging["acme-lake"].enabled_by == ["aws_s3_bucket_logging.lake"]
    assert logging["acme-old"].enabled_by == ["its logging block (aws_s3_bucket.old)"]
    assert logging["acme-quiet"].enabled_by == [] and audit.unlinked_logging == []


def test_cloudformation_selectors_intrinsics_and_logging(tmp_path):
    _, estate = cloudformation_estate(tmp_path, """
Parameters:
  Enabled: {Type: String}
Conditions:
  IsOn: !Equals [!Ref Enabled, "true"]
Resources:
  Lake:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration: {DestinationBucketName: logs}
  Maybe:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-maybe
      LoggingConfiguration: !If [IsOn, {DestinationBucketName: logs}, !Ref AWS::NoValue]
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: !If [IsOn, true, false]
      S3BucketName: trail
      EventSelectors:
        - ReadWriteType: WriteOnly
          DataResources:
            - Type: AWS::S3::Object
              Values: [!Sub "${Lake.Arn}/", !Join ["", [!GetAtt Lake.Arn, "/p/"]], !GetAtt Lake.Arn]
  Conditional:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: trail
      AdvancedEventSelectors: !If [IsOn, [], !Ref AWS::NoValue]
""")
    trail, conditional = estate.read_audit.trails
    assert isinstance(trail.logging, UnknownValue)
    [selector] = trail.selectors
    [arns] = [condition for condition in selector.conditions if condition.field == "resources.ARN"]
    lake = next(bucket for bucket in estate.buckets if str(bucket.resource) == "AWS::S3::Bucket.Lake")
    # The generated name is one placeholder, the same in the bucket and in the trail's values.
    assert [value.symbolic for value in arns.values] == [
        f"arn:aws:s3:::{lake.name_text}/", f"arn:aws:s3:::{lake.name_text}/p/"
    ]
    assert ("readOnly", "Equals", ("false",)) in conditions(selector)
    # Its ARN without the trailing "/" names no object, though its name is generated.
    assert selector.ignored_values == ("arn:aws:s3:::*",)
    assert isinstance(conditional.selectors, Unresolved) and not conditional.selectors.malformed
    logging = {str(bucket.resource): estate.read_audit.logging_of(bucket) for bucket in estate.buckets}
    assert logging["AWS::S3::Bucket.Lake"].enabled_by == ["its LoggingConfiguration (AWS::S3::Bucket.Lake)"]
    assert logging["AWS::S3::Bucket.Maybe"].enabled_by == [] and len(logging["AWS::S3::Bucket.Maybe"].maybe_by) == 1


def test_broken_selectors_are_unresolved_and_malformed(tmp_path):
    _, estate = terraform_estate(tmp_path, """
resource "aws_cloudtrail" "broken" {
  name           = "broken"
  s3_bucket_name = "trail"
  event_selector {
    read_write_type = "Reads"
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}
resource "aws_s3_bucket_logging" "somewhere" {
  bucket        = var.bucket
  target_bucket = "logs"
}
""")
    [trail] = estate.read_audit.trails
    assert isinstance(trail.selectors, Unresolved) and trail.selectors.malformed
    assert "read_write_type = Reads is not All, ReadOnly or WriteOnly" in trail.selectors.reason
    assert estate.read_audit.unlinked_logging[0].startswith("aws_s3_bucket_logging.somewhere")


@pytest.mark.parametrize(
    "selectors, reason",
    [
        ("EventSelectors: null", "EventSelectors is null"),
        ("AdvancedEventSelectors: null", "AdvancedEventSelectors is null"),
        ("EventSelectors: [{ReadWriteType: All, DataResources: null}]", "DataResources is null"),
        ("AdvancedEventSelectors: [{Name: reads, FieldSelectors: null}]", "FieldSelectors is null"),
    ],
)
def test_a_null_selector_list_is_malformed_not_empty(tmp_path, selectors, reason):
    # CloudFormation refuses null values: read as "no selectors", the trail would be judged to record nothing.
    _, estate = cloudformation_estate(tmp_path, f"""
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
      {selectors}
""")
    [trail] = estate.read_audit.trails
    assert isinstance(trail.selectors, Unresolved) and trail.selectors.malformed
    assert reason in trail.selectors.reason


def test_logging_that_is_no_mapping_or_block_may_or_may_not_log(tmp_path):
    _, estate = cloudformation_estate(tmp_path, """
Resources:
  Text: {Type: AWS::S3::Bucket, Properties: {LoggingConfiguration: "yes"}}
  Number: {Type: AWS::S3::Bucket, Properties: {LoggingConfiguration: 42}}
  Nothing: {Type: AWS::S3::Bucket, Properties: {LoggingConfiguration: null}}
  Absent: {Type: AWS::S3::Bucket, Properties: {}}
""")
    logging = {str(bucket.resource): estate.read_audit.logging_of(bucket) for bucket in estate.buckets}
    assert {name: (found.enabled_by, found.maybe_by) for name, found in logging.items()} == {
        "AWS::S3::Bucket.Text": ([], ["its LoggingConfiguration is yes, not a mapping"]),
        "AWS::S3::Bucket.Number": ([], ["its LoggingConfiguration is 42, not a mapping"]),
        "AWS::S3::Bucket.Nothing": ([], ["its LoggingConfiguration is null, not a mapping"]),
        "AWS::S3::Bucket.Absent": ([], []),
    }
    _, estate = terraform_estate(tmp_path, """
resource "aws_s3_bucket" "variable" {
  bucket  = "acme-variable"
  logging = var.logging
}
""")
    [bucket] = estate.buckets
    assert estate.read_audit.logging_of(bucket).maybe_by == ["its logging is var.logging, not a block"]


def test_a_plans_selector_value_computed_at_apply_time_is_unknown():
    # `values = ["${aws_s3_bucket.lake.arn}/"]` and `starts_with = ["${aws_s3_bucket.curated.arn}/daily/"]`: Checkov
    # shows each as its first reference, the bucket's ARN, which would read as "no object of the lake" (a wrong
    # FAILED) and as "every object of curated" (a wrong PASSED).
    plan = Path(__file__).parents[1] / "fixtures" / "plan_parity" / "audit" / "audited_lake_passing" / "tfplan.json"
    _, estate = plan_estate(plan)
    trails = {trail.resource.address: trail for trail in estate.read_audit.trails}
    [lake_reads] = trails["aws_cloudtrail.lake_reads"].selectors
    [curated_reads] = trails["aws_cloudtrail.curated_reads"].selectors
    assert lake_reads.ignored_values == ()
    for selector in (lake_reads, curated_reads):
        [arns] = [condition for condition in selector.conditions if condition.field == "resources.ARN"]
        [value] = arns.values
        assert isinstance(value, UnknownValue) and "computed at apply time" in value.reason
