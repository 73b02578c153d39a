"""Buckets, their policies, and Glue locations."""
from __future__ import annotations

from estate_builder import cloudformation_estate, terraform_estate

from spectrum_guard.estate import Unresolved
from spectrum_guard.policy import PolicyDocument, UnknownValue

DENY_ALL = (
    '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}}'
)


def by_name(estate):
    return {str(bucket): bucket for bucket in estate.buckets}


def test_terraform_buckets_and_their_policies(tmp_path):
    _, estate = terraform_estate(
        tmp_path,
        f"""
variable "environment" {{
  type = string
}}

resource "aws_s3_bucket" "lake" {{
  bucket = "acme-lake"
}}

resource "aws_s3_bucket_policy" "lake" {{
  bucket = aws_s3_bucket.lake.id
  policy = <<POLICY
{DENY_ALL}
POLICY
}}

resource "aws_s3_bucket" "legacy" {{
  bucket = "acme-legacy"
  policy = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Deny", Principal = "*", Action = "s3:*",
    Resource = "arn:aws:s3:::acme-legacy/*"}}]}})
}}

resource "aws_s3_bucket" "per_environment" {{
  bucket = "acme-${{var.environment}}-exports"
}}

resource "aws_s3_bucket" "generated" {{
  bucket_prefix = "scratch-"
}}

resource "aws_s3_bucket_policy" "elsewhere" {{
  bucket = "acme-partner-share"
  policy = "${{data.aws_iam_policy_document.missing.json}}"
}}
""",
    )
    buckets = by_name(estate)
    assert sorted(buckets) == [
        "acme-lake",
        "acme-legacy",
        "acme-partner-share",
        "aws_s3_bucket.generated (named scratch-*)",
        "aws_s3_bucket.per_environment (named acme-*-exports)",
    ]
    lake = buckets["acme-lake"]
    assert [policy.name for policy in lake.policies] == ["aws_s3_bucket_policy.lake"]
    assert isinstance(lake.policies[0].document, PolicyDocument)
    assert [policy.name for policy in buckets["acme-legacy"].policies] == ["aws_s3_bucket.legacy"]
    # A policy for a bucket the scan does not define: the bucket is known by name only.
    partner = buckets["acme-partner-share"]
    assert partner.resource is None and [policy.name for policy in partner.policies] == [
        "aws_s3_bucket_policy.elsewhere"
    ]
    assert isinstance(partner.policies[0].document, Unresolved)
    assert isinstance(buckets["aws_s3_bucket.generated (named scratch-*)"].name, UnknownValue)


def test_cloudformation_bucket_policy_by_reference_and_by_name(tmp_path):
    _, estate = cloudformation_estate(
        tmp_path,
        """
Resources:
  Lake:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "acme-lake-${AWS::AccountId}"
  LakePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Lake
      PolicyDocument:
        Statement: {Effect: Deny, Principal: "*", Action: "s3:*", Resource: !Sub "${Lake.Arn}/*"}
  PartnerPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: acme-partner-share
      PolicyDocument:
        Statement: {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::acme-partner-share/*"}
""",
    )
    lake = next(bucket for bucket in estate.buckets if bucket.resource is not None)
    assert [policy.name for policy in lake.policies] == ["AWS::S3::BucketPolicy.LakePolicy"]
    [statement] = lake.policies[0].document.statements
    assert statement.resources[0].symbolic == f"arn:aws:s3:::{lake.name_text}/*"
    partner = next(bucket for bucket in estate.buckets if bucket.resource is None)
    assert partner.name == "acme-partner-share"


def test_glue_locations(tmp_path):
    _, estate = terraform_estate(
        tmp_path,
        """
variable "raw_bucket" {
  type = string
}

resource "aws_s3_bucket" "lake" {
  bucket_prefix = "lake-"
}

resource "aws_glue_catalog_table" "orders" {
  name          = "orders"
  database_name = "sales"
  storage_descriptor {
    location = "s3://${aws_s3_bucket.lake.id}/sales/orders/"
  }
}

resource "aws_glue_crawler" "landing" {
  name          = "landing"
  database_name = "raw"
  role          = "arn:aws:iam::111122223333:role/glue"
  s3_target {
    path = "s3://acme-landing/incoming/${var.raw_bucket}/"
  }
  s3_target {
    path = "s3://${var.raw_bucket}/x/"
  }
}
""",
    )
    locations = {(location.description, str(location.bucket), location.prefix) for location in estate.data_locations}
    assert locations == {
        ("Glue table aws_glue_catalog_table.orders", "aws_s3_bucket.lake (named lake-*)", "sales/orders/"),
        # A bucket named only by its location; the unresolved part ends the known prefix.
        ("Glue crawler aws_glue_crawler.landing", "acme-landing", "incoming/"),
    }


def test_cloudformation_glue_locations(tmp_path):
    _, estate = cloudformation_estate(
        tmp_path,
        """
Resources:
  Lake:
    Type: AWS::S3::Bucket
  Orders:
    Type: AWS::Glue::Table
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseName: sales
      TableInput:
        StorageDescriptor:
          Location: !Sub "s3://${Lake}/sales/orders/"
  Landing:
    Type: AWS::Glue::Crawler
    Properties:
      Role: glue
      DatabaseName: raw
      Targets:
        S3Targets:
          - Path: s3://acme-landing/incoming
""",
    )
    locations = {
        (location.description, location.bucket.resource is None, location.prefix) for location in estate.data_locations
    }
    assert locations == {
        ("Glue table AWS::Glue::Table.Orders", False, "sales/orders/"),
        ("Glue crawler AWS::Glue::Crawler.Landing", True, "incoming"),
    }


def test_a_jsonencode_policy_that_checkov_renders_with_doubled_quotes(tmp_path):
    # With a list of references and the string "false" in one object, Checkov hands over
    # "jsonencode({... ''aws_s3_bucket.lake.arn'/* ...})": no ${}, and the reference quoted twice.
    _, estate = terraform_estate(
        tmp_path,
        """
resource "aws_s3_bucket" "lake" {
  bucket = "acme-lake"
}

resource "aws_s3_bucket_policy" "lake" {
  bucket = aws_s3_bucket.lake.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = { AWS = [aws_s3_bucket.lake.arn] }
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.lake.arn, "${aws_s3_bucket.lake.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
""",
    )
    [statement] = by_name(estate)["acme-lake"].policies[0].document.statements
    assert statement.resources == ("arn:aws:s3:::acme-lake", "arn:aws:s3:::acme-lake/*")
    assert statement.conditions[0].values == ("False",)  # Checkov's rendering; Bool reads it as false


def test_two_buckets_with_one_literal_name_are_both_kept(tmp_path):
    # Copies of one stack (an example per environment, say) define the same bucket name twice.
    for copy in ("blue", "green"):
        (tmp_path / copy).mkdir()
        (tmp_path / copy / "main.tf").write_text('resource "aws_s3_bucket" "lake" {\n  bucket = "acme-lake"\n}\n')
    _, estate = terraform_estate(tmp_path, "")
    lakes = [bucket for bucket in estate.buckets if str(bucket) == "acme-lake"]
    assert sorted(bucket.resource.file_path.split("/")[-2] for bucket in lakes) == ["blue", "green"]


def test_a_number_or_bool_as_a_bucket_name_is_its_text(tmp_path):
    # Checkov's own fixtures pass `bucket = false` and `bucket = 2`; the estate once raised on them, and one
    # such bucket stopped every check of the scan.
    _, estate = terraform_estate(
        tmp_path,
        """
resource "aws_s3_bucket" "flag" {
  bucket = false
}

resource "aws_s3_bucket" "number" {
  bucket = 2
}
""",
    )
    assert {bucket.resource.address: bucket.name for bucket in estate.buckets} == {
        "aws_s3_bucket.flag": "false",
        "aws_s3_bucket.number": "2",
    }


def _nested_join(depth: int) -> str:
    return "".join('{"Fn::Join": ["", [' for _ in range(depth)) + '"acme"' + "".join("]]}" for _ in range(depth))


def test_a_bucket_whose_name_or_location_cannot_be_read_leaves_the_other_buckets_judged(tmp_path):
    # A name or Glue location nested past the reader's depth limit once stopped the whole estate.
    _, estate = cloudformation_estate(
        tmp_path,
        f"""{{
  "Resources": {{
    "Deep": {{"Type": "AWS::S3::Bucket", "Properties": {{"BucketName": {_nested_join(70)}}}}},
    "Lake": {{"Type": "AWS::S3::Bucket", "Properties": {{"BucketName": "acme-lake"}}}},
    "DeepTable": {{"Type": "AWS::Glue::Table", "Properties": {{"CatalogId": "1", "DatabaseName": "d",
      "TableInput": {{"StorageDescriptor": {{"Location": {_nested_join(70)}}}}}}}}},
    "LakeTable": {{"Type": "AWS::Glue::Table", "Properties": {{"CatalogId": "1", "DatabaseName": "d",
      "TableInput": {{"StorageDescriptor": {{"Location": "s3://acme-lake/sales/"}}}}}}}}
  }}
}}""",
    )
    buckets = by_name(estate)
    assert "acme-lake" in buckets
    [deep] = [bucket for name, bucket in buckets.items() if name != "acme-lake"]
    assert isinstance(deep.name, UnknownValue) and "nested more than" in deep.name.reason
    assert [location.prefix for location in estate.data_locations] == ["sales/"]
