#!/usr/bin/env python3
"""Synthetic but realistic Redshift Spectrum estates, in Terraform and CloudFormation, for benchmarks.

One *unit* is what a data platform team deploys per domain: a VPC with three private subnets (one per
Availability Zone, as Redshift Serverless requires) on a private route table, a public subnet with an
internet gateway route and a NAT gateway, S3 (gateway) and Glue (interface, private DNS) endpoints, the
Redshift security group with an HTTPS egress rule and the endpoints' security group admitting it; a
Redshift cluster (even units) or a Serverless namespace and workgroup (odd units) with enhanced VPC
routing and a subnet group; the Spectrum role with its trust policy, an inline role policy and a
managed Glue policy; the data bucket with its policy, logging, encryption and public access block; a
Glue database with two tables; a CloudTrail trail with S3 data events.
Units are cross-linked like a real lake: each role also reads the next unit's bucket (its Glue
"events" table lives there), each bucket policy admits the previous unit's role, each trail also
records the previous unit's bucket. Units are grouped into stacks (Terraform root directories,
CloudFormation templates) of STACK_UNITS units; names are unique across the estate.

Every unit is a working Spectrum setup: all nine checks pass on every subject, none fails or is
UNKNOWN (tests/checkov/test_benchmark_generator.py asserts it).

--glue-only gives the shape where buckets could meet roles pairwise: each role may read every bucket
(`Resource: "*"`) and each bucket policy admits the account instead of naming roles, so every bucket is linked
to Spectrum only by its Glue tables, and every role may be the one that reads it.

    python benchmarks/generate.py --framework terraform --resources 20000 OUT_DIR
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Dict, List, Tuple

STACK_UNITS = 5  # one stack is one account: AWS's default quotas allow five VPCs, EIPs and trails per Region
ZONES = ("a", "b", "c")  # Redshift Serverless needs subnets in three Availability Zones
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
TF_RESOURCES_PER_UNIT = 37.5  # as Checkov counts them (resource_count), odd units have one more
CFN_RESOURCES_PER_UNIT = 32.5  # as Checkov counts them


def units_for(resources: int, framework: str) -> int:
    per_unit = TF_RESOURCES_PER_UNIT if framework == "terraform" else CFN_RESOURCES_PER_UNIT
    return max(1, round(resources / per_unit))


# ---------------------------------------------------------------------------------------------------
# Terraform


ACCOUNT_ROOT = "arn:aws:iam::111122223333:root"


def terraform_unit(i: int, nxt: int, prv: int, glue_only: bool = False) -> str:
    """Unit i; its role also reads unit nxt's bucket, its bucket admits unit prv's role. Names use the
    estate-wide index: bucket names are global, and one stack is one account."""
    octet = i % 250
    serverless = i % 2 == 1
    reader = (
        f'''
resource "aws_redshiftserverless_namespace" "u{i}" {{
  namespace_name       = "lake-{i}"
  iam_roles            = [aws_iam_role.spectrum_u{i}.arn]
  default_iam_role_arn = aws_iam_role.spectrum_u{i}.arn
}}

resource "aws_redshiftserverless_workgroup" "u{i}" {{
  workgroup_name       = "lake-{i}"
  namespace_name       = aws_redshiftserverless_namespace.u{i}.namespace_name
  enhanced_vpc_routing = true
  subnet_ids           = [aws_subnet.a_u{i}.id, aws_subnet.b_u{i}.id, aws_subnet.c_u{i}.id]
  security_group_ids   = [aws_security_group.redshift_u{i}.id]
}}
'''
        if serverless
        else f'''
resource "aws_redshift_cluster" "u{i}" {{
  cluster_identifier        = "lake-{i}"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  master_username           = "admin"
  manage_master_password    = true
  encrypted                 = true
  publicly_accessible       = false
  enhanced_vpc_routing      = true
  cluster_subnet_group_name = aws_redshift_subnet_group.u{i}.name
  vpc_security_group_ids    = [aws_security_group.redshift_u{i}.id]
  iam_roles                 = [aws_iam_role.spectrum_u{i}.arn]
  default_iam_role_arn      = aws_iam_role.spectrum_u{i}.arn
}}
'''
    )
    if glue_only:
        role_resources, bucket_principals = '"*"', f'"{ACCOUNT_ROOT}"'
    else:
        role_resources = (f'[aws_s3_bucket.lake_u{i}.arn, "${{aws_s3_bucket.lake_u{i}.arn}}/*",\n'
                          f'                    aws_s3_bucket.lake_u{nxt}.arn, "${{aws_s3_bucket.lake_u{nxt}.arn}}/*"]')
        bucket_principals = f"[aws_iam_role.spectrum_u{i}.arn, aws_iam_role.spectrum_u{prv}.arn]"
    private_subnets = "".join(
        f'''
resource "aws_subnet" "{zone}_u{i}" {{
  vpc_id            = aws_vpc.u{i}.id
  cidr_block        = "10.{octet}.{number}.0/24"
  availability_zone = "${{var.region}}{zone}"
}}

resource "aws_route_table_association" "{zone}_u{i}" {{
  subnet_id      = aws_subnet.{zone}_u{i}.id
  route_table_id = aws_route_table.private_u{i}.id
}}
'''
        for number, zone in enumerate(ZONES, start=1)
    )
    private_subnet_ids = ", ".join(f"aws_subnet.{zone}_u{i}.id" for zone in ZONES)
    return f'''
# ---- unit {i} -------------------------------------------------------------------------------------
resource "aws_vpc" "u{i}" {{
  cidr_block           = "10.{octet}.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = {{ Name = "lake-{i}", Environment = var.environment }}
}}
{private_subnets}
resource "aws_subnet" "public_u{i}" {{
  vpc_id            = aws_vpc.u{i}.id
  cidr_block        = "10.{octet}.10.0/24"
  availability_zone = "${{var.region}}a"
}}

resource "aws_internet_gateway" "u{i}" {{
  vpc_id = aws_vpc.u{i}.id
}}

resource "aws_route_table" "public_u{i}" {{
  vpc_id = aws_vpc.u{i}.id
}}

resource "aws_route" "internet_u{i}" {{
  route_table_id         = aws_route_table.public_u{i}.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.u{i}.id
}}

resource "aws_route_table_association" "public_u{i}" {{
  subnet_id      = aws_subnet.public_u{i}.id
  route_table_id = aws_route_table.public_u{i}.id
}}

resource "aws_eip" "nat_u{i}" {{
  domain     = "vpc"
  depends_on = [aws_internet_gateway.u{i}]
}}

resource "aws_nat_gateway" "u{i}" {{
  allocation_id = aws_eip.nat_u{i}.id
  subnet_id     = aws_subnet.public_u{i}.id
  depends_on    = [aws_internet_gateway.u{i}]
}}

resource "aws_route_table" "private_u{i}" {{
  vpc_id = aws_vpc.u{i}.id
}}

resource "aws_route" "nat_u{i}" {{
  route_table_id         = aws_route_table.private_u{i}.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.u{i}.id
}}

resource "aws_vpc_endpoint" "s3_u{i}" {{
  vpc_id            = aws_vpc.u{i}.id
  service_name      = "com.amazonaws.${{var.region}}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private_u{i}.id]
}}

resource "aws_vpc_endpoint" "glue_u{i}" {{
  vpc_id              = aws_vpc.u{i}.id
  service_name        = "com.amazonaws.${{var.region}}.glue"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [{private_subnet_ids}]
  security_group_ids  = [aws_security_group.endpoints_u{i}.id]
}}

resource "aws_security_group" "redshift_u{i}" {{
  name        = "redshift-{i}"
  description = "Redshift lake {i}"
  vpc_id      = aws_vpc.u{i}.id
}}

resource "aws_vpc_security_group_egress_rule" "https_u{i}" {{
  security_group_id = aws_security_group.redshift_u{i}.id
  description       = "HTTPS to AWS endpoints"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}}

resource "aws_security_group" "endpoints_u{i}" {{
  name        = "endpoints-{i}"
  description = "Interface endpoints of lake {i}"
  vpc_id      = aws_vpc.u{i}.id
}}

resource "aws_vpc_security_group_ingress_rule" "https_from_redshift_u{i}" {{
  security_group_id            = aws_security_group.endpoints_u{i}.id
  description                  = "HTTPS from Redshift"
  referenced_security_group_id = aws_security_group.redshift_u{i}.id
  from_port                    = 443
  to_port                      = 443
  ip_protocol                  = "tcp"
}}

resource "aws_redshift_subnet_group" "u{i}" {{
  name       = "lake-{i}"
  subnet_ids = [{private_subnet_ids}]
}}
{reader}
data "aws_iam_policy_document" "trust_u{i}" {{
  statement {{
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"{', "redshift-serverless.amazonaws.com"' if serverless else ''}]
    }}
  }}
}}

resource "aws_iam_role" "spectrum_u{i}" {{
  name               = "spectrum-{i}"
  assume_role_policy = data.aws_iam_policy_document.trust_u{i}.json
}}

resource "aws_iam_role_policy" "spectrum_u{i}" {{
  name = "spectrum-read"
  role = aws_iam_role.spectrum_u{i}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid      = "ReadLake"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
        Resource = {role_resources}
        Condition = {{ StringEquals = {{ "aws:UserAgent" = "AWS Redshift/Spectrum" }} }}
      }},
    ]
  }})
}}

resource "aws_iam_policy" "glue_u{i}" {{
  name = "spectrum-glue-{i}"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = ["glue:Get*", "glue:BatchGet*"], Resource = "*" }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "glue_u{i}" {{
  role       = aws_iam_role.spectrum_u{i}.name
  policy_arn = aws_iam_policy.glue_u{i}.arn
}}

resource "aws_s3_bucket" "lake_u{i}" {{
  bucket = "example-lake-{i}-${{var.environment}}"
}}

resource "aws_s3_bucket_policy" "lake_u{i}" {{
  bucket = aws_s3_bucket.lake_u{i}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "TlsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.lake_u{i}.arn, "${{aws_s3_bucket.lake_u{i}.arn}}/*"]
        Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }}
      }},
      {{
        Sid       = "SpectrumRoles"
        Effect    = "Allow"
        Principal = {{ AWS = {bucket_principals} }}
        Action    = ["s3:GetObject", "s3:ListBucket"]
        Resource  = [aws_s3_bucket.lake_u{i}.arn, "${{aws_s3_bucket.lake_u{i}.arn}}/*"]
      }},
    ]
  }})
}}

resource "aws_s3_bucket_logging" "lake_u{i}" {{
  bucket        = aws_s3_bucket.lake_u{i}.id
  target_bucket = var.log_bucket
  target_prefix = "s3/lake-{i}/"
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "lake_u{i}" {{
  bucket = aws_s3_bucket.lake_u{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "aws:kms"
    }}
  }}
}}

resource "aws_s3_bucket_public_access_block" "lake_u{i}" {{
  bucket                  = aws_s3_bucket.lake_u{i}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_glue_catalog_database" "u{i}" {{
  name = "lake_{i}"
}}

resource "aws_glue_catalog_table" "sales_u{i}" {{
  name          = "sales"
  database_name = aws_glue_catalog_database.u{i}.name
  table_type    = "EXTERNAL_TABLE"
  storage_descriptor {{
    location      = "s3://${{aws_s3_bucket.lake_u{i}.bucket}}/sales/"
    input_format  = "{PARQUET_INPUT}"
    output_format = "{PARQUET_OUTPUT}"
    columns {{
      name = "amount"
      type = "double"
    }}
  }}
}}

resource "aws_glue_catalog_table" "events_u{i}" {{
  name          = "events"
  database_name = aws_glue_catalog_database.u{i}.name
  table_type    = "EXTERNAL_TABLE"
  storage_descriptor {{
    location      = "s3://example-lake-{nxt}-${{var.environment}}/events/"
    input_format  = "{PARQUET_INPUT}"
    output_format = "{PARQUET_OUTPUT}"
    columns {{
      name = "kind"
      type = "string"
    }}
  }}
}}

resource "aws_cloudtrail" "u{i}" {{
  name                          = "lake-{i}"
  s3_bucket_name                = var.log_bucket
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
  event_selector {{
    read_write_type           = "All"
    include_management_events = true
    data_resource {{
      type   = "AWS::S3::Object"
      values = ["${{aws_s3_bucket.lake_u{i}.arn}}/", "${{aws_s3_bucket.lake_u{prv}.arn}}/"]
    }}
  }}
}}
'''


TF_HEADER = '''variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "log_bucket" {
  type = string
}

provider "aws" {
  region = var.region
}
'''


def stack_members(units: int) -> List[List[int]]:
    """The units of each stack. Cross-links stay inside a stack, where Terraform references and
    CloudFormation Refs can reach."""
    return [list(range(start, min(start + STACK_UNITS, units))) for start in range(0, units, STACK_UNITS)]


def neighbours(members: List[int], position: int) -> Tuple[int, int]:
    """The next and previous unit of the stack, wrapping around."""
    return members[(position + 1) % len(members)], members[(position - 1) % len(members)]


def write_terraform(out: Path, units: int, glue_only: bool = False) -> Dict[str, int]:
    stacks = stack_members(units)
    for number, members in enumerate(stacks):
        stack = out / f"stack_{number:04d}"
        stack.mkdir(parents=True)
        (stack / "variables.tf").write_text(TF_HEADER)
        text = "".join(
            terraform_unit(i, *neighbours(members, position), glue_only) for position, i in enumerate(members)
        )
        (stack / "main.tf").write_text(text)
    return {"units": units, "stacks": len(stacks)}


# ---------------------------------------------------------------------------------------------------
# CloudFormation


def cloudformation_unit(i: int, nxt: int, prv: int, glue_only: bool = False) -> Dict[str, dict]:
    """Unit i, linked like terraform_unit; logical IDs and names use the estate-wide index."""
    octet = i % 250
    serverless = i % 2 == 1

    def ref(name: str) -> dict:
        return {"Ref": name}

    def arn(name: str) -> dict:
        return {"Fn::GetAtt": [name, "Arn"]}

    def https_rule(**peer: object) -> dict:
        return {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, **peer}

    u = f"U{i}"
    private_subnets = [ref(f"Subnet{zone.upper()}{u}") for zone in ZONES]
    resources: Dict[str, dict] = {
        f"Vpc{u}": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": f"10.{octet}.0.0/16",
                                                             "EnableDnsSupport": True, "EnableDnsHostnames": True}},
    }
    for number, zone in enumerate(ZONES, start=1):
        subnet = f"Subnet{zone.upper()}{u}"
        resources[subnet] = {"Type": "AWS::EC2::Subnet", "Properties": {
            "VpcId": ref(f"Vpc{u}"), "CidrBlock": f"10.{octet}.{number}.0/24",
            "AvailabilityZone": {"Fn::Sub": f"${{AWS::Region}}{zone}"}}}
        resources[f"Assoc{zone.upper()}{u}"] = {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {
            "SubnetId": ref(subnet), "RouteTableId": ref(f"PrivateRouteTable{u}")}}
    resources.update({
        f"PublicSubnet{u}": {"Type": "AWS::EC2::Subnet", "Properties": {
            "VpcId": ref(f"Vpc{u}"), "CidrBlock": f"10.{octet}.10.0/24",
            "AvailabilityZone": {"Fn::Sub": "${AWS::Region}a"}}},
        f"Igw{u}": {"Type": "AWS::EC2::InternetGateway", "Properties": {}},
        f"IgwAttachment{u}": {"Type": "AWS::EC2::VPCGatewayAttachment",
                              "Properties": {"VpcId": ref(f"Vpc{u}"), "InternetGatewayId": ref(f"Igw{u}")}},
        f"PublicRouteTable{u}": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": ref(f"Vpc{u}")}},
        f"InternetRoute{u}": {"Type": "AWS::EC2::Route", "DependsOn": f"IgwAttachment{u}", "Properties": {
            "RouteTableId": ref(f"PublicRouteTable{u}"), "DestinationCidrBlock": "0.0.0.0/0",
            "GatewayId": ref(f"Igw{u}")}},
        f"PublicAssoc{u}": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {
            "SubnetId": ref(f"PublicSubnet{u}"), "RouteTableId": ref(f"PublicRouteTable{u}")}},
        f"NatEip{u}": {"Type": "AWS::EC2::EIP", "DependsOn": f"IgwAttachment{u}", "Properties": {"Domain": "vpc"}},
        f"Nat{u}": {"Type": "AWS::EC2::NatGateway", "Properties": {
            "AllocationId": {"Fn::GetAtt": [f"NatEip{u}", "AllocationId"]}, "SubnetId": ref(f"PublicSubnet{u}")}},
        f"PrivateRouteTable{u}": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": ref(f"Vpc{u}")}},
        f"NatRoute{u}": {"Type": "AWS::EC2::Route", "Properties": {
            "RouteTableId": ref(f"PrivateRouteTable{u}"), "DestinationCidrBlock": "0.0.0.0/0",
            "NatGatewayId": ref(f"Nat{u}")}},
        f"S3Endpoint{u}": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
            "VpcId": ref(f"Vpc{u}"), "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"},
            "VpcEndpointType": "Gateway", "RouteTableIds": [ref(f"PrivateRouteTable{u}")]}},
        f"GlueEndpoint{u}": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
            "VpcId": ref(f"Vpc{u}"), "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.glue"},
            "VpcEndpointType": "Interface", "PrivateDnsEnabled": True,
            "SubnetIds": private_subnets, "SecurityGroupIds": [ref(f"EndpointSg{u}")]}},
        f"RedshiftSg{u}": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": f"Redshift lake {i}", "VpcId": ref(f"Vpc{u}")}},
        f"HttpsEgress{u}": {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {
            "GroupId": ref(f"RedshiftSg{u}"), **https_rule(CidrIp="0.0.0.0/0"),
            "Description": "HTTPS to AWS endpoints"}},
        f"EndpointSg{u}": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": f"Interface endpoints of lake {i}", "VpcId": ref(f"Vpc{u}"),
            "SecurityGroupIngress": [https_rule(SourceSecurityGroupId=ref(f"RedshiftSg{u}"),
                                                Description="HTTPS from Redshift")]}},
        f"SubnetGroup{u}": {"Type": "AWS::Redshift::ClusterSubnetGroup", "Properties": {
            "Description": f"lake {i}", "SubnetIds": private_subnets}},
        f"SpectrumRole{u}": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": f"spectrum-{i}",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"Service": ["redshift.amazonaws.com"]
                              + (["redshift-serverless.amazonaws.com"] if serverless else [])}}]},
            "Policies": [{"PolicyName": "spectrum-read", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Sid": "ReadLake", "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": "*" if glue_only else [arn(f"Lake{u}"), {"Fn::Sub": f"${{Lake{u}.Arn}}/*"},
                                                   arn(f"LakeU{nxt}"), {"Fn::Sub": f"${{LakeU{nxt}.Arn}}/*"}],
                "Condition": {"StringEquals": {"aws:UserAgent": "AWS Redshift/Spectrum"}}}]}}]}},
        f"GluePolicy{u}": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "Roles": [ref(f"SpectrumRole{u}")],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["glue:Get*", "glue:BatchGet*"], "Resource": "*"}]}}},
        f"Lake{u}": {"Type": "AWS::S3::Bucket", "Properties": {
            "BucketName": {"Fn::Sub": f"example-lake-{i}-${{AWS::AccountId}}"},
            "LoggingConfiguration": {"DestinationBucketName": ref("LogBucket"), "LogFilePrefix": f"s3/lake-{i}/"},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                               "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
            "VersioningConfiguration": {"Status": "Enabled"}}},
        f"LakePolicy{u}": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": ref(f"Lake{u}"),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": [arn(f"Lake{u}"), {"Fn::Sub": f"${{Lake{u}.Arn}}/*"}],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                {"Sid": "SpectrumRoles", "Effect": "Allow",
                 "Principal": {"AWS": ACCOUNT_ROOT if glue_only
                               else [arn(f"SpectrumRole{u}"), arn(f"SpectrumRoleU{prv}")]},
                 "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": [arn(f"Lake{u}"), {"Fn::Sub": f"${{Lake{u}.Arn}}/*"}]}]}}},
        f"GlueDatabase{u}": {"Type": "AWS::Glue::Database", "Properties": {
            "CatalogId": ref("AWS::AccountId"), "DatabaseInput": {"Name": f"lake_{i}"}}},
        f"SalesTable{u}": {"Type": "AWS::Glue::Table", "Properties": {
            "CatalogId": ref("AWS::AccountId"), "DatabaseName": ref(f"GlueDatabase{u}"),
            "TableInput": {"Name": "sales", "TableType": "EXTERNAL_TABLE", "StorageDescriptor": {
                "Location": {"Fn::Sub": f"s3://${{Lake{u}}}/sales/"},
                "InputFormat": PARQUET_INPUT, "OutputFormat": PARQUET_OUTPUT,
                "Columns": [{"Name": "amount", "Type": "double"}]}}}},
        f"EventsTable{u}": {"Type": "AWS::Glue::Table", "Properties": {
            "CatalogId": ref("AWS::AccountId"), "DatabaseName": ref(f"GlueDatabase{u}"),
            "TableInput": {"Name": "events", "TableType": "EXTERNAL_TABLE", "StorageDescriptor": {
                "Location": {"Fn::Sub": f"s3://${{LakeU{nxt}}}/events/"},
                "InputFormat": PARQUET_INPUT, "OutputFormat": PARQUET_OUTPUT,
                "Columns": [{"Name": "kind", "Type": "string"}]}}}},
        f"Trail{u}": {"Type": "AWS::CloudTrail::Trail", "Properties": {
            "TrailName": f"lake-{i}", "IsLogging": True, "S3BucketName": ref("LogBucket"),
            "IsMultiRegionTrail": True, "EnableLogFileValidation": True, "IncludeGlobalServiceEvents": True,
            "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [{
                "Type": "AWS::S3::Object",
                "Values": [{"Fn::Sub": f"${{Lake{u}.Arn}}/"}, {"Fn::Sub": f"${{LakeU{prv}.Arn}}/"}]}]}]}},
    })
    if serverless:
        resources[f"Namespace{u}"] = {"Type": "AWS::RedshiftServerless::Namespace", "Properties": {
            "NamespaceName": f"lake-{i}", "IamRoles": [arn(f"SpectrumRole{u}")],
            "DefaultIamRoleArn": arn(f"SpectrumRole{u}")}}
        resources[f"Workgroup{u}"] = {"Type": "AWS::RedshiftServerless::Workgroup", "Properties": {
            "WorkgroupName": f"lake-{i}", "NamespaceName": ref(f"Namespace{u}"), "EnhancedVpcRouting": True,
            "SubnetIds": private_subnets, "SecurityGroupIds": [ref(f"RedshiftSg{u}")]}}
    else:
        resources[f"Cluster{u}"] = {"Type": "AWS::Redshift::Cluster", "Properties": {
            "ClusterIdentifier": f"lake-{i}", "ClusterType": "multi-node", "NumberOfNodes": 2,
            "NodeType": "ra3.xlplus", "DBName": "dev", "MasterUsername": "admin", "ManageMasterPassword": True,
            "Encrypted": True, "PubliclyAccessible": False, "EnhancedVpcRouting": True,
            "ClusterSubnetGroupName": ref(f"SubnetGroup{u}"), "VpcSecurityGroupIds": [ref(f"RedshiftSg{u}")],
            "IamRoles": [arn(f"SpectrumRole{u}")]}}
    return resources


def write_cloudformation(out: Path, units: int, glue_only: bool = False) -> Dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    stacks = stack_members(units)
    for number, members in enumerate(stacks):
        resources: Dict[str, dict] = {}
        for position, i in enumerate(members):
            resources.update(cloudformation_unit(i, *neighbours(members, position), glue_only))
        template = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": f"Data lake stack {number}",
            "Parameters": {"LogBucket": {"Type": "String"}},
            "Resources": resources,
        }
        (out / f"stack_{number:04d}.json").write_text(json.dumps(template, indent=1))
    return {"units": units, "stacks": len(stacks)}


def generate(framework: str, resources: int, out: Path, glue_only: bool = False) -> Dict[str, int]:
    """Write an estate of about `resources` resources into `out` (emptied first); see --glue-only above."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    units = units_for(resources, framework)
    writer = write_terraform if framework == "terraform" else write_cloudformation
    return writer(out, units, glue_only)


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", choices=("terraform", "cloudformation"), required=True)
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--glue-only", action="store_true", help="every bucket linked to Spectrum only by Glue tables")
    parser.add_argument("out", type=Path)
    arguments = parser.parse_args(argv)
    print(generate(arguments.framework, arguments.resources, arguments.out, arguments.glue_only))


if __name__ == "__main__":
    main()
