"""Which buckets are Spectrum buckets, why, and which roles read them from where."""
from __future__ import annotations

from estate_builder import cloudformation_estate, terraform_estate

from spectrum_guard.config import Configuration, DeclaredBucket, DeclaredRole
from spectrum_guard.estate.spectrum import Origin

TRUST = """jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "sts:AssumeRole",
    Principal = { Service = "redshift.amazonaws.com" } }]})"""


def role(name: str, statements: str) -> str:
    return f"""
resource "aws_iam_role" "{name}" {{
  name               = "{name}"
  assume_role_policy = {TRUST}
}}

resource "aws_iam_role_policy" "{name}" {{
  role   = aws_iam_role.{name}.id
  policy = jsonencode({{Version = "2012-10-17", Statement = [{statements}]}})
}}
"""


def bucket(name: str) -> str:
    return f"""
resource "aws_s3_bucket" "{name.replace('-', '_')}" {{
  bucket = "{name}"
}}
"""


CLUSTER = """
resource "aws_redshift_cluster" "analytics" {
  cluster_identifier = "analytics"
  node_type          = "ra3.xlplus"
  iam_roles          = [aws_iam_role.spectrum.arn]
}
"""


def links(estate):
    return {
        str(found.bucket): {
            (read.role.name, read.prefixes, tuple(sorted(o.name for o in read.role.origins))) for read in found.reads
        }
        for found in estate.spectrum_buckets
    }


def test_identity_grants_name_spectrum_buckets(tmp_path):
    _, estate = terraform_estate(
        tmp_path,
        CLUSTER
        + bucket("acme-lake")
        + bucket("acme-logs")
        + bucket("acme-exports")
        + role(
            "spectrum",
            """
      {Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = ["${aws_s3_bucket.acme_lake.arn}/sales/*", aws_s3_bucket.acme_lake.arn]},
      {Effect = "Allow", Action = "s3:Get*", Resource = "arn:aws:s3:::acme-partner-share/*"},
      {Effect = "Allow", Action = "s3:PutObject", Resource = "${aws_s3_bucket.acme_exports.arn}/*"},
      {Effect = "Allow", Action = "s3:GetObject", Resource = "*"}""",
        )
        # Not attached to a reader: not a Spectrum role.
        + role("etl", '{Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.acme_logs.arn}/*"}'),
    )
    assert links(estate) == {
        "acme-lake": {("aws_iam_role.spectrum", ("sales/",), ("AWS_MANAGED",))},
        # Named by the grant only: a bucket of another stack.
        "acme-partner-share": {("aws_iam_role.spectrum", ("",), ("AWS_MANAGED",))},
    }
    [lake] = [found for found in estate.spectrum_buckets if str(found.bucket) == "acme-lake"]
    assert lake.why == ["aws_iam_role_policy.spectrum (statement #0) lets aws_iam_role.spectrum read its objects"]
    assert str(lake.home) == "aws_s3_bucket.acme_lake"


def test_a_glue_location_links_its_bucket_while_a_reader_is_in_the_scan(tmp_path):
    glue = """
resource "aws_glue_catalog_table" "orders" {
  name          = "orders"
  database_name = "sales"
  storage_descriptor {
    location = "s3://${aws_s3_bucket.acme_lake.id}/sales/orders/"
  }
}
"""
    broad = role("spectrum", '{Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::*/*"}')
    _, estate = terraform_estate(tmp_path, CLUSTER + bucket("acme-lake") + glue + broad)
    assert links(estate) == {"acme-lake": {("aws_iam_role.spectrum", ("sales/orders/",), ("AWS_MANAGED",))}}
    assert estate.spectrum_buckets[0].why == ["it holds the location of Glue table aws_glue_catalog_table.orders"]
    no_reader = tmp_path / "no_reader"
    no_reader.mkdir()
    _, estate = terraform_estate(no_reader, bucket("acme-lake") + glue + broad)
    assert links(estate) == {}


GLUE_TABLE = """
resource "aws_glue_catalog_table" "orders" {
  name          = "orders"
  database_name = "sales"
  storage_descriptor {
    location = "s3://acme-lake/sales/orders/"
  }
}
"""


def broad_readers(count: int) -> str:
    """`count` clusters, each with a role allowed s3:GetObject on every bucket."""
    return "".join(
        role(f"spectrum_{n}", '{Effect = "Allow", Action = "s3:GetObject", Resource = "*"}')
        + CLUSTER.replace('"analytics"', f'"analytics_{n}"')
        .replace("aws_iam_role.spectrum.", f"aws_iam_role.spectrum_{n}.")
        for n in range(count)
    )


def test_each_of_a_few_roles_that_may_read_a_glue_only_bucket_is_judged(tmp_path):
    _, estate = terraform_estate(tmp_path, broad_readers(4) + bucket("acme-lake") + GLUE_TABLE)
    [lake] = estate.spectrum_buckets
    assert sorted(read.role.name for read in lake.reads) == [f"aws_iam_role.spectrum_{n}" for n in range(4)]


def test_one_read_stands_for_many_roles_that_may_read_a_glue_only_bucket(tmp_path):
    # Judging each would multiply the buckets only Glue tables link by the roles that may read every bucket.
    _, estate = terraform_estate(tmp_path, broad_readers(5) + bucket("acme-lake") + bucket("acme-raw") + GLUE_TABLE
                                 + GLUE_TABLE.replace('"orders"', '"events"').replace("acme-lake", "acme-raw"))
    [lake, raw] = estate.spectrum_buckets
    [read] = lake.reads
    assert raw.reads[0].role is read.role  # one group, shared by every such bucket
    assert read.role.name == (
        "any of the 5 Spectrum roles allowed to read every bucket "
        "(aws_iam_role.spectrum_0, aws_iam_role.spectrum_1, aws_iam_role.spectrum_2, ...)"
    )
    assert read.role.role is None  # its own policies are taken to allow the read
    assert read.role.readers == (
        "provisioned cluster aws_redshift_cluster.analytics_0",
        "provisioned cluster aws_redshift_cluster.analytics_1",
        "provisioned cluster aws_redshift_cluster.analytics_2",
        "and 2 more readers",
    )
    assert read.role.origins == {Origin.AWS_MANAGED}
    assert read.prefixes == ("sales/orders/",)


def test_bucket_policy_grants_and_the_spectrum_user_agent(tmp_path):
    _, estate = terraform_estate(
        tmp_path,
        CLUSTER
        + role("spectrum", '{Effect = "Allow", Action = "glue:GetTable", Resource = "*"}')
        + bucket("acme-lake")
        + bucket("acme-partner")
        + """
resource "aws_s3_bucket_policy" "lake" {
  bucket = aws_s3_bucket.acme_lake.id
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Principal = { AWS = aws_iam_role.spectrum.arn },
    Action = "s3:GetObject", Resource = "${aws_s3_bucket.acme_lake.arn}/*"}]})
}

resource "aws_s3_bucket_policy" "partner" {
  bucket = aws_s3_bucket.acme_partner.id
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = { AWS = "arn:aws:iam::444455556666:role/partner-spectrum" }, Action = "s3:GetObject",
    Resource = "arn:aws:s3:::acme-partner/*", Condition = { StringEquals = { "aws:UserAgent" = "AWS Redshift/Spectrum" } } }]})
}
""",
    )
    assert links(estate) == {
        "acme-lake": {("aws_iam_role.spectrum", ("",), ("AWS_MANAGED",))},
        # A role outside the scan: its reader, and so its network, is unknown.
        "acme-partner": {("arn:aws:iam::444455556666:role/partner-spectrum", ("",), ("UNKNOWN",))},
    }


def test_declared_buckets_and_roles(tmp_path):
    configuration = Configuration(
        source=".spectrum-guard.yaml",
        spectrum_buckets=(DeclaredBucket("acme-shared-*", reader="serverless"), DeclaredBucket("acme-archive")),
        spectrum_roles=(DeclaredRole("arn:aws:iam::123456789012:role/partner-spectrum"),),
    )
    _, estate = terraform_estate(
        tmp_path, bucket("acme-shared-raw") + bucket("acme-archive") + bucket("acme-logs"), configuration
    )
    # With no other link, a declared bucket is read by the declared roles of its kind of reader, else an unknown role.
    partner = ("arn:aws:iam::123456789012:role/partner-spectrum", ("",), ("AWS_MANAGED",))
    unknown_serverless = ("outside the scan", ("",), ("CUSTOMER_VPC",))
    assert links(estate) == {"acme-shared-raw": {unknown_serverless}, "acme-archive": {partner}}
    assert estate.spectrum_buckets[0].why == [".spectrum-guard.yaml declares it (acme-shared-*)"]
    only_buckets = Configuration(spectrum_buckets=(DeclaredBucket("acme-shared-*", reader="serverless"),))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _, estate = terraform_estate(elsewhere, bucket("acme-shared-raw"), only_buckets)
    assert links(estate) == {"acme-shared-raw": {("outside the scan", ("",), ("CUSTOMER_VPC",))}}


def test_serverless_origins_follow_enhanced_vpc_routing(tmp_path):
    grant = '{Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.acme_lake.arn}/*"}'
    template = """
resource "aws_redshiftserverless_namespace" "lakehouse" {
  namespace_name = "lakehouse"
  iam_roles      = [aws_iam_role.spectrum.arn]
}
resource "aws_redshiftserverless_workgroup" "lakehouse" {
  namespace_name       = aws_redshiftserverless_namespace.lakehouse.namespace_name
  workgroup_name       = "lakehouse"
  enhanced_vpc_routing = ROUTING
}
"""
    for routing, origin in (("true", "CUSTOMER_VPC"), ("false", "AWS_MANAGED"), ("var.routing", "UNKNOWN")):
        directory = tmp_path / origin
        directory.mkdir()
        variable = 'variable "routing" {\n  type = bool\n}\n'
        _, estate = terraform_estate(
            directory, variable + template.replace("ROUTING", routing) + bucket("acme-lake") + role("spectrum", grant)
        )
        assert links(estate) == {"acme-lake": {("aws_iam_role.spectrum", ("",), (origin,))}}, routing


def test_cloudformation_links(tmp_path):
    _, estate = cloudformation_estate(
        tmp_path,
        """
Resources:
  Lake:
    Type: AWS::S3::Bucket
  SpectrumRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement: {Effect: Allow, Action: s3:GetObject, Resource: !Sub "${Lake.Arn}/curated/*"}
  Namespace:
    Type: AWS::RedshiftServerless::Namespace
    Properties:
      NamespaceName: lakehouse
      IamRoles: [!GetAtt SpectrumRole.Arn]
""",
    )
    [found] = estate.spectrum_buckets
    [read] = found.reads
    # A namespace without a workgroup in the scan: its routing is unknown.
    assert (read.role.name, read.prefixes, read.role.origins) == (
        "AWS::IAM::Role.SpectrumRole",
        ("curated/",),
        frozenset({Origin.UNKNOWN}),
    )
