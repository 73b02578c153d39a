"""Malformed resources, one table entry each, for tests/checkov/test_bad_input.py.

Every entry names the checks it targets, the framework, the files of a small tree (generated, so that
hostile sizes need not be committed) and the resource whose UNKNOWN line each check must log. To cover
a new check, add entries whose resource is a subject of that check (for CKV_RSPEC_5: a role attached
to a cluster) and whose malformed part decides its result. The suite then asserts, through real Checkov:
no crash (exit 0 or 1, no traceback), no PASSED for that resource from any of those checks, and an
"<check> UNKNOWN for <resource>" log line for each; or, for input that
Checkov's own parser refuses (expect="parse_error"), that Checkov reports the file as a parsing error.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

# Hostile sizes from the issue: 10,000 levels of nesting, a 5 MB policy.
DEEP = 10_000
FIVE_MB = 5 * 1024 * 1024


@dataclass(frozen=True)
class BadInput:
    name: str  # also the case's directory; unique
    checks: Tuple[str, ...]  # each must log UNKNOWN for the resource
    framework: str  # "terraform" or "cloudformation"
    files: Callable[[], Dict[str, str]]  # relative path -> text
    resource: str  # the address in the check's UNKNOWN log line
    also: Tuple[str, ...] = ()  # further resources of the same tree that must be UNKNOWN too
    # Scanned in a Checkov run of its own (hostile sizes), so a slow parse cannot hide other cases.
    isolated: bool = False
    # The reason must mention this text (case-insensitive), when given.
    reason: str = ""
    # "unknown": the check logs UNKNOWN for the resource. "parse_error": Checkov itself refuses the file
    # (it logs an ERROR and lists the file under parsing errors), so the resource never reaches the check.
    # "checkov_defect": Checkov crashes on the file without the plugin too, and no frame of ours is involved.
    expect: str = "unknown"
    # Too slow for CI; runs with SPECTRUM_GUARD_SLOW_TESTS=1.
    slow: bool = False
    # Cases of one framework and group share a Checkov run, hence one estate. Inputs that reach beyond their
    # own directory (a trail may cover any bucket) get a group of their own.
    group: str = "shared"


# ---------------------------------------------------------------------------------------------------
# CKV_RSPEC_5: a role attached to a Redshift cluster, whose trust policy is broken.


def tf_role(name: str, assume_role_policy: str, extra: str = "") -> Callable[[], Dict[str, str]]:
    """A cluster with one role; `assume_role_policy` is the HCL expression of the trust policy."""

    def files() -> Dict[str, str]:
        return {
            "main.tf": f"""
{extra}
resource "aws_iam_role" "{name}" {{
  name               = "{name.replace('_', '-')}"
  assume_role_policy = {assume_role_policy}
}}

resource "aws_redshift_cluster" "{name}" {{
  cluster_identifier = "{name.replace('_', '-')}"
  node_type          = "ra3.xlplus"
  iam_roles          = [aws_iam_role.{name}.arn]
}}
"""
        }

    return files


def heredoc(text: str) -> str:
    return f"<<EOF\n{text}\nEOF"


def cfn_role(
    name: str, document_yaml: str, prefix: str = "", extra_resources: str = ""
) -> Callable[[], Dict[str, str]]:
    """A cluster with one role; `document_yaml` is the YAML of AssumeRolePolicyDocument (indented 6)."""

    def files() -> Dict[str, str]:
        return {
            "template.yaml": f"""AWSTemplateFormatVersion: "2010-09-09"
{prefix}
Resources:
  {name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {document_yaml}
  {name}Cluster:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.xlplus
      DBName: dev
      MasterUsername: admin
      ManageMasterPassword: true
      IamRoles: [!GetAtt {name}.Arn]
{extra_resources}
"""
        }

    return files


def cfn_json_role(name: str, document: object) -> Callable[[], Dict[str, str]]:
    def files() -> Dict[str, str]:
        template = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                name: {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": "@DOCUMENT@"}},
                f"{name}Cluster": {
                    "Type": "AWS::Redshift::Cluster",
                    "Properties": {
                        "ClusterType": "single-node",
                        "NodeType": "ra3.xlplus",
                        "DBName": "dev",
                        "MasterUsername": "admin",
                        "ManageMasterPassword": True,
                        "IamRoles": [{"Fn::GetAtt": [name, "Arn"]}],
                    },
                },
            },
        }
        text = json.dumps(template, indent=1)
        # Nested text is spliced in, so that json.dumps never recurses through the hostile document.
        body = document() if callable(document) else json.dumps(document)
        return {"template.json": text.replace('"@DOCUMENT@"', body)}

    return files


def deep_json(levels: int) -> str:
    """A trust policy whose condition value is a list nested `levels` deep."""
    return (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
        ' "Principal": {"Service": "redshift.amazonaws.com"}, "Condition": {"StringEquals": {"aws:SourceAccount": '
        + "[" * levels + '"1"' + "]" * levels + "}}}]}"
    )


def big_json(size: int) -> str:
    """A trust policy of about `size` bytes: many statements, each admitting one more AWS account."""
    statement = (
        '{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::%012d:root"},'
        ' "Condition": {"StringEquals": {"sts:ExternalId": "%s"}}}'
    )
    padding = "x" * 200
    one = len(statement % (0, padding)) + 2
    statements = ",\n".join(statement % (i, padding) for i in range(size // one + 1))
    # The last statement breaks the policy: it lists a number where a Principal must be.
    return (
        '{"Version": "2012-10-17", "Statement": [' + statements + ',\n'
        '{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": 42}]}'
    )


_TF_UNRESOLVED = """
variable "version" {}
variable "effect" {}
variable "service" {}
variable "action" {}
variable "statements" {}
"""

_CFN_UNRESOLVED_PARAMETERS = """Parameters:
  Service: {Type: String}
  Effect: {Type: String}
Conditions:
  Maybe: !Equals [!Ref Service, "redshift.amazonaws.com"]"""

# Each role's trust policy names the other role's ARN as its Service; the cluster uses both.
_CFN_CIRCULAR = """  CircularB:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal: {Service: !Sub "${CircularA.Arn}"}
  CircularBCluster:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.xlplus
      DBName: dev
      MasterUsername: admin
      ManageMasterPassword: true
      IamRoles: [!GetAtt CircularB.Arn, !GetAtt CircularA.Arn]"""

ROLE_TRUST = ("CKV_RSPEC_5",)
_CFN_ANYONE_IF = (
    "{{Statement: [{{Effect: Allow, Action: sts:AssumeRole, Principal: "
    "!If [{condition}, {{AWS: '*'}}, {{Service: redshift.amazonaws.com}}]}}]}}"
)

ROLE_TRUST_CASES: Tuple[BadInput, ...] = (
    # --- Terraform -------------------------------------------------------------------------------
    BadInput("tf_not_json", ROLE_TRUST, "terraform",
             tf_role("tf_not_json", '"{\\"Version\\": \\"2012-10-17\\", Statement: [}"'),
             "aws_iam_role.tf_not_json", reason="not JSON"),
    BadInput("tf_json_list", ROLE_TRUST, "terraform",
             tf_role("tf_json_list", 'jsonencode([{ Effect = "Allow" }])'),
             "aws_iam_role.tf_json_list"),
    BadInput("tf_json_string", ROLE_TRUST, "terraform",
             tf_role("tf_json_string", '"\\"redshift.amazonaws.com\\""'),
             "aws_iam_role.tf_json_string"),
    BadInput("tf_number", ROLE_TRUST, "terraform", tf_role("tf_number", "42"), "aws_iam_role.tf_number"),
    BadInput("tf_statement_null", ROLE_TRUST, "terraform",
             tf_role("tf_statement_null", 'jsonencode({ Version = "2012-10-17", Statement = null })'),
             "aws_iam_role.tf_statement_null"),
    BadInput("tf_statement_string", ROLE_TRUST, "terraform",
             tf_role("tf_statement_string", heredoc('{"Version": "2012-10-17", "Statement": "Allow"}')),
             "aws_iam_role.tf_statement_string"),
    BadInput("tf_statement_of_numbers", ROLE_TRUST, "terraform",
             tf_role("tf_statement_of_numbers", heredoc('{"Statement": [1, 2.5, true, null]}')),
             "aws_iam_role.tf_statement_of_numbers"),
    BadInput("tf_numbers_as_keys", ROLE_TRUST, "terraform",
             tf_role("tf_numbers_as_keys", heredoc(
                 '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
                 ' "Principal": {"1": "redshift.amazonaws.com"}}]}')),
             "aws_iam_role.tf_numbers_as_keys"),
    BadInput("tf_booleans_as_strings", ROLE_TRUST, "terraform",
             tf_role("tf_booleans_as_strings", 'jsonencode({ Statement = [{ Effect = "true", Action = true,'
                                               ' Principal = { Service = "redshift.amazonaws.com" } }] })'),
             "aws_iam_role.tf_booleans_as_strings"),
    BadInput("tf_unresolved_everywhere", ROLE_TRUST, "terraform",
             tf_role("tf_unresolved_everywhere",
                     'jsonencode({ Version = var.version, Statement = [{ Effect = var.effect,'
                     ' Action = var.action, Principal = { Service = var.service } }] })',
                     extra=_TF_UNRESOLVED),
             "aws_iam_role.tf_unresolved_everywhere"),
    BadInput("tf_unresolved_statements", ROLE_TRUST, "terraform",
             tf_role("tf_unresolved_statements", 'jsonencode({ Statement = var.statements })', extra=_TF_UNRESOLVED),
             "aws_iam_role.tf_unresolved_statements"),
    BadInput("tf_unresolved_policy", ROLE_TRUST, "terraform",
             tf_role("tf_unresolved_policy", "var.statements", extra=_TF_UNRESOLVED),
             "aws_iam_role.tf_unresolved_policy"),
    BadInput("tf_missing_policy_document", ROLE_TRUST, "terraform",
             tf_role("tf_missing_policy_document", "data.aws_iam_policy_document.not_in_scan.json"),
             "aws_iam_role.tf_missing_policy_document"),
    BadInput("tf_deep_nesting", ROLE_TRUST, "terraform",
             tf_role("tf_deep_nesting", heredoc(deep_json(DEEP))), "aws_iam_role.tf_deep_nesting",
             reason="not JSON"),
    BadInput("tf_five_megabytes", ROLE_TRUST, "terraform",
             tf_role("tf_five_megabytes", heredoc(big_json(FIVE_MB))), "aws_iam_role.tf_five_megabytes",
             isolated=True, reason="statement #"),
    # --- CloudFormation --------------------------------------------------------------------------
    BadInput("cfn_not_json", ROLE_TRUST, "cloudformation",
             cfn_role("NotJsonText", "'{\"Statement\": [}'"), "AWS::IAM::Role.NotJsonText", reason="not JSON"),
    BadInput("cfn_list", ROLE_TRUST, "cloudformation", cfn_role("ListDocument", "[1, 2]"),
             "AWS::IAM::Role.ListDocument"),
    BadInput("cfn_number", ROLE_TRUST, "cloudformation", cfn_role("NumberDocument", "42"),
             "AWS::IAM::Role.NumberDocument"),
    BadInput("cfn_statement_null", ROLE_TRUST, "cloudformation",
             cfn_role("StatementNull", "{Version: '2012-10-17', Statement: null}"), "AWS::IAM::Role.StatementNull"),
    BadInput("cfn_document_null", ROLE_TRUST, "cloudformation", cfn_role("DocumentNull", "null"),
             "AWS::IAM::Role.DocumentNull"),
    BadInput("cfn_numbers_as_keys", ROLE_TRUST, "cloudformation",
             cfn_role("NumberKeys", "{Statement: [{Effect: Allow, Action: sts:AssumeRole, "
                                    "Principal: {1: redshift.amazonaws.com}, 2: 3}]}"),
             "AWS::IAM::Role.NumberKeys"),
    BadInput("cfn_boolean_keys_and_values", ROLE_TRUST, "cloudformation",
             cfn_role("BooleanKeys", "{Statement: [{Effect: true, Action: yes, "
                                     "Principal: {Service: redshift.amazonaws.com}, true: false}]}"),
             "AWS::IAM::Role.BooleanKeys"),
    BadInput("cfn_booleans_as_strings", ROLE_TRUST, "cloudformation",
             cfn_role("BooleanStrings", "{Statement: [{Effect: 'true', Action: sts:AssumeRole, "
                                        "Principal: {Service: redshift.amazonaws.com}}]}"),
             "AWS::IAM::Role.BooleanStrings"),
    BadInput("cfn_anchor_merge", ROLE_TRUST, "cloudformation",
             cfn_role("AnchorMerge",
                      "\n        Statement:\n          - <<: *base\n"
                      "            Principal: {Service: !ImportValue other}",
                      prefix="Metadata:\n  Base: &base {Effect: Allow, Action: sts:AssumeRole}"),
             "AWS::IAM::Role.AnchorMerge"),
    BadInput("cfn_alias_of_broken_statement", ROLE_TRUST, "cloudformation",
             cfn_role("AliasBroken", "{Statement: [*broken, *broken]}",
                      prefix="Metadata:\n  Broken: &broken {Effect: Allow, Action: sts:AssumeRole, Principal: 7}"),
             "AWS::IAM::Role.AliasBroken"),
    BadInput("cfn_recursive_alias", ROLE_TRUST, "cloudformation",
             cfn_role("RecursiveAlias", "{Statement: &loop [{Effect: Allow, Action: sts:AssumeRole, "
                                        "Principal: {Service: redshift.amazonaws.com}, Condition: *loop}]}"),
             # Checkov: "found unconstructable recursive node".
             "AWS::IAM::Role.RecursiveAlias", expect="parse_error"),
    BadInput("cfn_unresolved_everywhere", ROLE_TRUST, "cloudformation",
             cfn_role("UnresolvedEverywhere",
                      "{Version: !Ref 'AWS::NoValue', Statement: [{Effect: !Ref Effect, "
                      "Action: !If [Maybe, sts:AssumeRole, !Ref 'AWS::NoValue'], "
                      "Principal: {Service: [!Ref Service, !ImportValue svc, !Sub '${Service}', "
                      "!Select [0, !Split [',', !Ref Service]], !FindInMap [m, k, v]]}}]}",
                      prefix=_CFN_UNRESOLVED_PARAMETERS),
             "AWS::IAM::Role.UnresolvedEverywhere"),
    BadInput("cfn_unresolved_document", ROLE_TRUST, "cloudformation",
             cfn_role("UnresolvedDocument", "!If [Maybe, !Ref Service, !ImportValue policy]",
                      prefix=_CFN_UNRESOLVED_PARAMETERS),
             "AWS::IAM::Role.UnresolvedDocument"),
    BadInput("cfn_circular_references", ROLE_TRUST, "cloudformation",
             cfn_role("CircularA", "{Statement: [{Effect: Allow, Action: sts:AssumeRole, "
                                   "Principal: {Service: !Sub '${CircularB.Arn}'}}]}",
                      extra_resources=_CFN_CIRCULAR),
             "AWS::IAM::Role.CircularA", also=("AWS::IAM::Role.CircularB",)),
    # A trust policy that lets anyone assume the role, but only under a condition that cannot be evaluated:
    # CloudFormation rejects such a template, so nothing in it is judged.
    BadInput("cfn_condition_on_undeclared_parameter", ROLE_TRUST, "cloudformation",
             cfn_role("UndeclaredParameter", _CFN_ANYONE_IF.format(condition="OnMissing"),
                      prefix="Conditions:\n  OnMissing: !Equals [!Ref Missing, yes]"),
             "AWS::IAM::Role.UndeclaredParameter", reason="Missing, which is not a parameter"),
    BadInput("cfn_if_on_undefined_condition", ROLE_TRUST, "cloudformation",
             cfn_role("UndefinedCondition", _CFN_ANYONE_IF.format(condition="Nowhere")),
             "AWS::IAM::Role.UndefinedCondition", reason="'Nowhere' is not defined"),
    # Checkov's own renderer recurses without end on circular Conditions, with or without the plugin.
    BadInput("cfn_circular_conditions_checkov_defect", ROLE_TRUST, "cloudformation",
             cfn_role("CircularConditions", _CFN_ANYONE_IF.format(condition="Primary"),
                      prefix="Conditions:\n  Primary: !Not [!Condition Secondary]\n  Secondary: !Condition Primary"),
             "AWS::IAM::Role.CircularConditions", isolated=True, expect="checkov_defect"),
    BadInput("cfn_json_deep_nesting", ROLE_TRUST, "cloudformation",
             # Checkov reads JSON templates with its YAML parser: "exceeded maximum nesting depth" (1,000).
             cfn_json_role("DeepJson", lambda: deep_json(DEEP)), "AWS::IAM::Role.DeepJson", expect="parse_error"),
    # Deep enough for spectrum-guard's own guard (64 levels), shallow enough for Checkov's parser.
    BadInput("cfn_json_nesting_150", ROLE_TRUST, "cloudformation",
             cfn_json_role("Nesting150", lambda: deep_json(150)), "AWS::IAM::Role.Nesting150", reason="nested more"),
    # Between about 200 and 1,000 levels, Checkov 3.3.30's CloudFormation YAML constructor overflows the stack and
    # the whole cloudformation runner dies (exit 2), with or without this plugin: a Checkov defect.
    BadInput("cfn_nesting_500_checkov_defect", ROLE_TRUST, "cloudformation",
             cfn_json_role("Nesting500", lambda: deep_json(500)), "AWS::IAM::Role.Nesting500",
             isolated=True, expect="checkov_defect"),
    BadInput("cfn_yaml_deep_nesting", ROLE_TRUST, "cloudformation",
             cfn_role("DeepYaml", "{Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: "
                                  "{Service: redshift.amazonaws.com}, Condition: {StringEquals: {k: "
                                  + "[" * DEEP + "x" + "]" * DEEP + "}}}]}"),
             "AWS::IAM::Role.DeepYaml", expect="parse_error"),
    BadInput("cfn_json_five_megabytes", ROLE_TRUST, "cloudformation",
             # About 4 minutes of Checkov's own parsing and graph building on 2 cores.
             cfn_json_role("FiveMegabytes", lambda: big_json(FIVE_MB)), "AWS::IAM::Role.FiveMegabytes",
             isolated=True, slow=True, reason="statement #"),
)


# ---------------------------------------------------------------------------------------------------
# CKV_RSPEC_1-4: a bucket a cluster's role reads, whose bucket policy (or one more role policy) is broken.
# An unreadable policy that applies to Spectrum's read may hide a statement of any of the four causes.
# Terraform names avoid "null": Checkov 3.3.30 renders `aws_s3_bucket.x_null.arn` as `aws_s3_bucket.x_None.arn`.

SPECTRUM_READ = ("CKV_RSPEC_1", "CKV_RSPEC_2", "CKV_RSPEC_3", "CKV_RSPEC_4")


def tf_read(name: str, bucket_policy: str = "", role_policy: str = "", extra: str = "",
            in_bucket: str = "") -> Callable[[], Dict[str, str]]:
    """A cluster whose role reads bucket `name`; the HCL expressions of its bucket policy and of a further
    aws_iam_role_policy, each only when given; `in_bucket` is HCL inside the bucket's block."""
    dashed = name.replace("_", "-")

    def files() -> Dict[str, str]:
        text = f"""
{extra}
resource "aws_iam_role" "{name}" {{
  name = "{dashed}"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = {{ Service = "redshift.amazonaws.com" }} }}] }})
  inline_policy {{
    name   = "read"
    policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "s3:GetObject",
      Resource = "${{aws_s3_bucket.{name}.arn}}/*" }}] }})
  }}
}}

resource "aws_redshift_cluster" "{name}" {{
  cluster_identifier = "{dashed}"
  node_type          = "ra3.xlplus"
  iam_roles          = [aws_iam_role.{name}.arn]
}}

resource "aws_s3_bucket" "{name}" {{
  bucket = "acme-{dashed}"
  {in_bucket}
}}
"""
        if bucket_policy:
            text += f"""
resource "aws_s3_bucket_policy" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  policy = {bucket_policy}
}}
"""
        if role_policy:
            text += f"""
resource "aws_iam_role_policy" "{name}" {{
  role   = aws_iam_role.{name}.id
  policy = {role_policy}
}}
"""
        return {"main.tf": text}

    return files


def cfn_read(name: str, bucket_policy: str = "", role_policy: str = "", prefix: str = "",
             extra_resources: str = "", bucket_properties: str = "") -> Callable[[], Dict[str, str]]:
    """The same in CloudFormation: `bucket_policy` and `role_policy` are YAML (indented 6) of the
    PolicyDocument of an AWS::S3::BucketPolicy and of an AWS::IAM::Policy on the role; `bucket_properties`
    more YAML properties of the bucket (indented 6)."""

    def files() -> Dict[str, str]:
        text = f"""AWSTemplateFormatVersion: "2010-09-09"
{prefix}
Resources:
  {name}Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{{Effect: Allow, Action: sts:AssumeRole, Principal: {{Service: redshift.amazonaws.com}}}}]
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement: [{{Effect: Allow, Action: s3:GetObject, Resource: !Sub "${{{name}Bucket.Arn}}/*"}}]
  {name}Cluster:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.xlplus
      DBName: dev
      MasterUsername: admin
      ManageMasterPassword: true
      IamRoles: [!GetAtt {name}Role.Arn]
  {name}Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-{name.lower()}
      {bucket_properties}
"""
        if bucket_policy:
            text += f"""  {name}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref {name}Bucket
      PolicyDocument: {bucket_policy}
"""
        if role_policy:
            text += f"""  {name}:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: more
      Roles: [!Ref {name}Role]
      PolicyDocument: {role_policy}
"""
        return {"template.yaml": text + extra_resources}

    return files


def cfn_json_read(name: str, bucket_policy: Callable[[], str]) -> Callable[[], Dict[str, str]]:
    """cfn_read as a JSON template; `bucket_policy` gives the JSON text of the bucket policy's document."""

    def files() -> Dict[str, str]:
        template = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                f"{name}Role": {"Type": "AWS::IAM::Role", "Properties": {
                    "AssumeRolePolicyDocument": {"Statement": [{
                        "Effect": "Allow", "Action": "sts:AssumeRole",
                        "Principal": {"Service": "redshift.amazonaws.com"},
                    }]},
                    "Policies": [{"PolicyName": "read", "PolicyDocument": {"Statement": [{
                        "Effect": "Allow", "Action": "s3:GetObject",
                        "Resource": {"Fn::Sub": f"${{{name}Bucket.Arn}}/*"},
                    }]}}],
                }},
                f"{name}Cluster": {"Type": "AWS::Redshift::Cluster", "Properties": {
                    "ClusterType": "single-node", "NodeType": "ra3.xlplus", "DBName": "dev", "MasterUsername": "admin",
                    "ManageMasterPassword": True, "IamRoles": [{"Fn::GetAtt": [f"{name}Role", "Arn"]}],
                }},
                f"{name}Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": f"acme-{name.lower()}"}},
                name: {"Type": "AWS::S3::BucketPolicy", "Properties": {
                    "Bucket": {"Ref": f"{name}Bucket"}, "PolicyDocument": "@DOCUMENT@",
                }},
            },
        }
        return {"template.json": json.dumps(template, indent=1).replace('"@DOCUMENT@"', bucket_policy())}

    return files


def deep_bucket_policy(levels: int) -> str:
    """A Deny on the network origin whose endpoint list is nested `levels` deep."""
    return (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",'
        ' "Resource": "*", "Condition": {"StringNotEquals": {"aws:SourceVpce": '
        + "[" * levels + '"vpce-1"' + "]" * levels + "}}}]}"
    )


def big_bucket_policy(size: int) -> str:
    """A bucket policy of about `size` bytes: many harmless statements, and a last one whose Effect is a number."""
    statement = (
        '{"Sid": "Reader%d", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%012d:root"},'
        ' "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"aws:UserAgent": "%s"}}}'
    )
    padding = "x" * 200
    one = len(statement % (0, 0, padding)) + 2
    statements = ",\n".join(statement % (i, i, padding) for i in range(size // one + 1))
    return (
        '{"Version": "2012-10-17", "Statement": [' + statements + ',\n'
        '{"Effect": 42, "Principal": "*", "Action": "s3:*", "Resource": "*"}]}'
    )


# One statement per cause, every element unresolved: each of the four checks meets its own undecided statement.
_TF_UNRESOLVED_STATEMENTS = """jsonencode({ Version = var.version, Statement = [
    { Effect = var.effect, Principal = var.principal, Action = var.action, Resource = var.resource,
      Condition = { StringNotEquals = { "aws:SourceVpce" = var.endpoint } } },
    { Effect = var.effect, Principal = var.principal, Action = var.action, Resource = var.resource,
      Condition = { NumericGreaterThan = { "s3:signatureAge" = var.age } } },
    { Effect = var.effect, Principal = var.principal, Action = var.action, Resource = var.resource,
      Condition = { StringEquals = { "s3:authType" = var.auth_type } } },
    { Effect = var.effect, Principal = var.principal, Action = var.action, Resource = var.resource },
  ] })"""
_TF_UNRESOLVED_READ = "\n".join(
    f'variable "{name}" {{}}'
    for name in ("version", "effect", "principal", "action", "resource", "endpoint", "age", "auth_type", "policy")
)
_CFN_UNRESOLVED_READ_PARAMETERS = """Parameters:
  Effect: {Type: String}
  Endpoint: {Type: String}
  Age: {Type: Number}
  AuthType: {Type: String}
Conditions:
  Strict: !Equals [!Ref Endpoint, "none"]"""
_CFN_UNRESOLVED_STATEMENTS = """
        Version: !Ref 'AWS::NoValue'
        Statement:
          - {Effect: !Ref Effect, Principal: !ImportValue principal, Action: !If [Strict, 's3:*', !Ref 'AWS::NoValue'],
             Resource: !Sub '${Endpoint}/*', Condition: {StringNotEquals: {aws:SourceVpce: !Ref Endpoint}}}
          - {Effect: !Ref Effect, Principal: '*', Action: !Select [0, !Split [',', !Ref Endpoint]], Resource: '*',
             Condition: {NumericGreaterThan: {s3:signatureAge: !Ref Age}}}
          - {Effect: !Ref Effect, Principal: '*', Action: 's3:GetObject', Resource: !FindInMap [m, k, v],
             Condition: {StringEquals: {s3:authType: !Ref AuthType}}}
          - {Effect: !Ref Effect, Principal: {AWS: !ImportValue reader}, Action: 's3:GetObject', Resource: '*'}"""
# Each bucket's name is taken from the other's: neither name, nor any ARN built from it, can be known.
_CFN_CIRCULAR_BUCKETS = """  CircularOther:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${CircularAnother}-copy"
  CircularAnother:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [!Ref CircularOther, copy]]
"""


# One condition per cause, each of which holds for Spectrum's read (YAML).
CAUSE_CONDITIONS = (
    "{StringNotEquals: {aws:SourceVpce: vpce-1}}",
    "{NumericGreaterThan: {s3:signatureAge: 600000}}",
    "{StringEquals: {s3:authType: REST-QUERY-STRING}}",
    "{StringNotLike: {aws:PrincipalArn: 'arn:aws:iam::*:role/etl'}}",
)


def cfn_denials_of_every_cause(resource: str) -> str:
    """Four Deny statements on `resource` (YAML), one per cause: each stops the read if it names the bucket."""
    statements = ", ".join(
        f"{{Effect: Deny, Principal: '*', Action: 's3:*', Resource: {resource}, Condition: {condition}}}"
        for condition in CAUSE_CONDITIONS
    )
    return f"{{Statement: [{statements}]}}"


def _tf_bucket(name: str, policy: str, reason: str = "") -> BadInput:
    return BadInput(name, SPECTRUM_READ, "terraform", tf_read(name, bucket_policy=policy, extra=_TF_UNRESOLVED_READ),
                    f"aws_s3_bucket_policy.{name}", reason=reason)


def _cfn_bucket(name: str, logical_id: str, document: str, reason: str = "", **options) -> BadInput:
    return BadInput(name, SPECTRUM_READ, "cloudformation", cfn_read(logical_id, bucket_policy=document, **options),
                    f"AWS::S3::BucketPolicy.{logical_id}", reason=reason)


SPECTRUM_READ_CASES: Tuple[BadInput, ...] = (
    # --- Terraform: the bucket policy ------------------------------------------------------------
    _tf_bucket("tf_bucket_not_json", '"{\\"Statement\\": [{\\"Effect\\": \\"Deny\\",}"', reason="not JSON"),
    _tf_bucket("tf_bucket_json_list", 'jsonencode([{ Effect = "Deny", Principal = "*", Action = "s3:*" }])'),
    _tf_bucket("tf_bucket_number", "42"),
    _tf_bucket("tf_bucket_statement_none", 'jsonencode({ Version = "2012-10-17", Statement = null })'),
    _tf_bucket("tf_bucket_statement_of_numbers", heredoc('{"Statement": [1, 2.5, true, null]}')),
    _tf_bucket("tf_bucket_numbers_as_keys", heredoc(
        '{"Statement": [{"Effect": "Deny", "Principal": {"1": "*"}, "Action": "s3:*", "Resource": "*"}]}')),
    _tf_bucket("tf_bucket_booleans_as_strings", 'jsonencode({ Statement = [{ Effect = "false", Principal = "*",'
                                                ' Action = "s3:*", Resource = "*" }] })'),
    _tf_bucket("tf_bucket_unresolved_everywhere", _TF_UNRESOLVED_STATEMENTS),
    _tf_bucket("tf_bucket_unresolved_policy", "var.policy"),
    _tf_bucket("tf_bucket_missing_policy_document", "data.aws_iam_policy_document.not_in_scan.json"),
    _tf_bucket("tf_bucket_deep_nesting", heredoc(deep_bucket_policy(DEEP)), reason="not JSON"),
    BadInput("tf_bucket_five_megabytes", SPECTRUM_READ, "terraform",
             tf_read("tf_bucket_five_megabytes", bucket_policy=heredoc(big_bucket_policy(FIVE_MB))),
             # tf_five_megabytes covers the same path in CI; this one adds about a minute.
             "aws_s3_bucket_policy.tf_bucket_five_megabytes", isolated=True, slow=True, reason="statement #"),
    # --- Terraform: a role policy ----------------------------------------------------------------
    BadInput("tf_role_policy_not_json", SPECTRUM_READ, "terraform",
             tf_read("tf_role_policy_not_json", role_policy='"{\\"Statement\\": ["'),
             "aws_iam_role_policy.tf_role_policy_not_json", reason="not JSON"),
    BadInput("tf_role_policy_statement_none", SPECTRUM_READ, "terraform",
             tf_read("tf_role_policy_statement_none", role_policy="jsonencode({ Statement = null })"),
             "aws_iam_role_policy.tf_role_policy_statement_none"),
    BadInput("tf_role_policy_unresolved", SPECTRUM_READ, "terraform",
             tf_read("tf_role_policy_unresolved", role_policy=_TF_UNRESOLVED_STATEMENTS, extra=_TF_UNRESOLVED_READ),
             "aws_iam_role_policy.tf_role_policy_unresolved"),
    # --- CloudFormation: the bucket policy -------------------------------------------------------
    _cfn_bucket("cfn_bucket_not_json", "BucketNotJson", "'{\"Statement\": [}'", reason="not JSON"),
    _cfn_bucket("cfn_bucket_list", "BucketList", "[1, 2]"),
    _cfn_bucket("cfn_bucket_number", "BucketNumber", "42"),
    _cfn_bucket("cfn_bucket_document_null", "BucketDocumentNull", "null"),
    _cfn_bucket("cfn_bucket_statement_null", "BucketStatementNull", "{Version: '2012-10-17', Statement: null}"),
    _cfn_bucket("cfn_bucket_numbers_as_keys", "BucketNumberKeys",
                "{Statement: [{Effect: Deny, Principal: '*', Action: 's3:*', Resource: '*', "
                "Condition: {1: {aws:SourceVpce: vpce-1}}}]}"),
    _cfn_bucket("cfn_bucket_boolean_keys_and_values", "BucketBooleanKeys",
                "{Statement: [{Effect: Deny, Principal: '*', Action: 's3:*', Resource: '*', "
                "Condition: {NumericGreaterThan: {true: 600000}}}, {Effect: true, Principal: '*', Action: yes}]}"),
    _cfn_bucket("cfn_bucket_booleans_as_strings", "BucketBooleanStrings",
                "{Statement: [{Effect: 'false', Principal: '*', Action: 's3:*', Resource: '*'}]}"),
    _cfn_bucket("cfn_bucket_anchor_merge", "BucketAnchorMerge",
                "\n        Statement:" + "".join(
                    f"\n          - <<: *deny\n            Condition: {condition}" for condition in CAUSE_CONDITIONS),
                # Merged into each statement: a Resource that may or may not be the bucket's objects.
                prefix="Metadata:\n  Deny: &deny {Effect: Deny, Principal: '*', Action: 's3:*', "
                       "Resource: !ImportValue objects}"),
    _cfn_bucket("cfn_bucket_alias_of_broken_statement", "BucketAliasBroken", "{Statement: [*broken, *broken]}",
                prefix="Metadata:\n  Broken: &broken {Effect: Deny, Principal: 7, Action: 's3:*', Resource: '*'}"),
    _cfn_bucket("cfn_bucket_unresolved_everywhere", "BucketUnresolved", _CFN_UNRESOLVED_STATEMENTS,
                prefix=_CFN_UNRESOLVED_READ_PARAMETERS),
    _cfn_bucket("cfn_bucket_unresolved_document", "BucketUnresolvedDocument",
                "!If [Strict, !Ref Endpoint, !ImportValue policy]", prefix=_CFN_UNRESOLVED_READ_PARAMETERS),
    _cfn_bucket("cfn_bucket_circular_references", "Circular",
                cfn_denials_of_every_cause("!Sub '${CircularOther.Arn}/*'"), extra_resources=_CFN_CIRCULAR_BUCKETS),
    BadInput("cfn_bucket_json_nesting_150", SPECTRUM_READ, "cloudformation",
             cfn_json_read("BucketNesting150", lambda: deep_bucket_policy(150)),
             "AWS::S3::BucketPolicy.BucketNesting150", reason="nested more"),
    # --- CloudFormation: a role policy -----------------------------------------------------------
    BadInput("cfn_role_policy_not_json", SPECTRUM_READ, "cloudformation",
             cfn_read("RolePolicyNotJson", role_policy="'{\"Statement\": ['"),
             "AWS::IAM::Policy.RolePolicyNotJson", reason="not JSON"),
    BadInput("cfn_role_policy_statement_null", SPECTRUM_READ, "cloudformation",
             cfn_read("RolePolicyStatementNull", role_policy="{Statement: null}"),
             "AWS::IAM::Policy.RolePolicyStatementNull"),
    BadInput("cfn_role_policy_unresolved", SPECTRUM_READ, "cloudformation",
             cfn_read("RolePolicyUnresolved", role_policy=_CFN_UNRESOLVED_STATEMENTS,
                      prefix=_CFN_UNRESOLVED_READ_PARAMETERS),
             "AWS::IAM::Policy.RolePolicyUnresolved"),
)



# ---------------------------------------------------------------------------------------------------
# CKV_RSPEC_6 and 7: a cluster with enhanced VPC routing whose only way out (a NAT gateway) passes through a
# broken subnet list, route or security group. Well formed (the NAT gateway in a public subnet, routed to an
# internet gateway), every part below gives both checks a path.

PATHS = ("CKV_RSPEC_6", "CKV_RSPEC_7")
_TF_NAT_ROUTE = """route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.{name}.id
  }"""
_TF_HTTPS_EGRESS = """egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }"""


def tf_network(name: str, subnet_ids: str = "[aws_subnet.{name}.id]", route: str = _TF_NAT_ROUTE,
               egress: str = _TF_HTTPS_EGRESS, routing: str = "true", extra: str = "") -> Callable[[], Dict[str, str]]:
    """A cluster in a private subnet whose route table sends 0.0.0.0/0 to a NAT gateway; the parts are HCL."""

    def files() -> Dict[str, str]:
        parts = {key: text.replace("{name}", name) for key, text in
                 (("subnet_ids", subnet_ids), ("route", route), ("egress", egress))}
        return {"main.tf": f"""
{extra}
resource "aws_vpc" "{name}" {{
  cidr_block = "10.20.0.0/16"
}}
resource "aws_subnet" "{name}_public" {{
  vpc_id     = aws_vpc.{name}.id
  cidr_block = "10.20.0.0/24"
}}
resource "aws_subnet" "{name}" {{
  vpc_id     = aws_vpc.{name}.id
  cidr_block = "10.20.1.0/24"
}}
resource "aws_internet_gateway" "{name}" {{
  vpc_id = aws_vpc.{name}.id
}}
resource "aws_route_table" "{name}_public" {{
  vpc_id = aws_vpc.{name}.id
  route {{
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.{name}.id
  }}
}}
resource "aws_route_table_association" "{name}_public" {{
  subnet_id      = aws_subnet.{name}_public.id
  route_table_id = aws_route_table.{name}_public.id
}}
resource "aws_eip" "{name}" {{
  domain = "vpc"
}}
resource "aws_nat_gateway" "{name}" {{
  allocation_id = aws_eip.{name}.id
  subnet_id     = aws_subnet.{name}_public.id
}}
resource "aws_route_table" "{name}" {{
  vpc_id = aws_vpc.{name}.id
  {parts["route"]}
}}
resource "aws_route_table_association" "{name}" {{
  subnet_id      = aws_subnet.{name}.id
  route_table_id = aws_route_table.{name}.id
}}
resource "aws_security_group" "{name}" {{
  vpc_id = aws_vpc.{name}.id
  {parts["egress"]}
}}
resource "aws_redshift_subnet_group" "{name}" {{
  name       = "{name.replace('_', '-')}"
  subnet_ids = {parts["subnet_ids"]}
}}
resource "aws_redshift_cluster" "{name}" {{
  cluster_identifier        = "{name.replace('_', '-')}"
  node_type                 = "ra3.xlplus"
  enhanced_vpc_routing      = {routing}
  cluster_subnet_group_name = aws_redshift_subnet_group.{name}.name
  vpc_security_group_ids    = [aws_security_group.{name}.id]
}}
"""}

    return files


_CFN_NAT_ROUTE = "{RouteTableId: !Ref {name}Routes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref {name}Nat}"
_CFN_HTTPS_EGRESS = "[{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]"


def cfn_network(name: str, subnet_ids: str = "[!Ref {name}Subnet]", route: str = _CFN_NAT_ROUTE,
                egress: str = _CFN_HTTPS_EGRESS, subnet_vpc: str = "!Ref {name}Vpc", routing: str = "true",
                prefix: str = "", extra_resources: str = "") -> Callable[[], Dict[str, str]]:
    """The same in CloudFormation; the parts are YAML flow values."""

    def files() -> Dict[str, str]:
        parts = {key: text.replace("{name}", name) for key, text in (
            ("subnet_ids", subnet_ids), ("route", route), ("egress", egress), ("subnet_vpc", subnet_vpc))}
        return {"template.yaml": f"""AWSTemplateFormatVersion: "2010-09-09"
{prefix}
Resources:
  {name}Vpc:
    Type: AWS::EC2::VPC
    Properties: {{CidrBlock: 10.20.0.0/16}}
  {name}Public:
    Type: AWS::EC2::Subnet
    Properties: {{VpcId: !Ref {name}Vpc, CidrBlock: 10.20.0.0/24}}
  {name}Subnet:
    Type: AWS::EC2::Subnet
    Properties: {{VpcId: {parts["subnet_vpc"]}, CidrBlock: 10.20.1.0/24}}
  {name}Gateway:
    Type: AWS::EC2::InternetGateway
  {name}GatewayAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {{VpcId: !Ref {name}Vpc, InternetGatewayId: !Ref {name}Gateway}}
  {name}PublicRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {{VpcId: !Ref {name}Vpc}}
  {name}PublicRoute:
    Type: AWS::EC2::Route
    DependsOn: {name}GatewayAttachment
    Properties:
      {{RouteTableId: !Ref {name}PublicRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref {name}Gateway}}
  {name}PublicAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {{SubnetId: !Ref {name}Public, RouteTableId: !Ref {name}PublicRoutes}}
  {name}Address:
    Type: AWS::EC2::EIP
    Properties: {{Domain: vpc}}
  {name}Nat:
    Type: AWS::EC2::NatGateway
    Properties: {{SubnetId: !Ref {name}Public, AllocationId: !GetAtt {name}Address.AllocationId}}
  {name}Routes:
    Type: AWS::EC2::RouteTable
    Properties: {{VpcId: !Ref {name}Vpc}}
  {name}Route:
    Type: AWS::EC2::Route
    Properties: {parts["route"]}
  {name}Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {{SubnetId: !Ref {name}Subnet, RouteTableId: !Ref {name}Routes}}
  {name}Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: cluster
      VpcId: !Ref {name}Vpc
      SecurityGroupEgress: {parts["egress"]}
  {name}SubnetGroup:
    Type: AWS::Redshift::ClusterSubnetGroup
    Properties: {{Description: private, SubnetIds: {parts["subnet_ids"]}}}
  {name}:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.xlplus
      DBName: dev
      MasterUsername: admin
      ManageMasterPassword: true
      EnhancedVpcRouting: {routing}
      ClusterSubnetGroupName: !Ref {name}SubnetGroup
      VpcSecurityGroupIds: [!GetAtt {name}Group.GroupId]
{extra_resources}"""}

    return files


def _tf_path(name: str, reason: str = "", **parts: str) -> BadInput:
    return BadInput(name, PATHS, "terraform", tf_network(name, **parts), f"aws_redshift_cluster.{name}", reason=reason)


def _cfn_path(name: str, logical_id: str, reason: str = "", **parts: str) -> BadInput:
    return BadInput(name, PATHS, "cloudformation", cfn_network(logical_id, **parts),
                    f"AWS::Redshift::Cluster.{logical_id}", reason=reason)


_TF_UNRESOLVED_NETWORK = "\n".join(
    f'variable "{name}" {{}}' for name in ("subnets", "cidr", "nat", "port", "cidrs", "routes", "rules")
)
_CFN_UNRESOLVED_NETWORK_PARAMETERS = """Parameters:
  Subnets: {Type: CommaDelimitedList}
  Port: {Type: Number}
Conditions:
  Open: !Equals [!Ref Port, 443]"""
# Two security groups, each allowing HTTPS only towards the other; the cluster uses the first.
_CFN_CIRCULAR_GROUPS = """  CircularPathOther:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: other
      VpcId: !GetAtt CircularPathGroup.VpcId
      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443,
                             DestinationSecurityGroupId: !GetAtt CircularPathGroup.GroupId}]
"""

NETWORK_CASES: Tuple[BadInput, ...] = (
    # --- Terraform -------------------------------------------------------------------------------
    _tf_path("tf_path_subnets_number", subnet_ids="42"),
    _tf_path("tf_path_subnets_map", subnet_ids='{ a = aws_subnet.{name}.id }'),
    _tf_path("tf_path_subnets_unresolved", subnet_ids="var.subnets", extra=_TF_UNRESOLVED_NETWORK),
    _tf_path("tf_path_route_unresolved_everywhere", extra=_TF_UNRESOLVED_NETWORK,
             route="route {\n    cidr_block     = var.cidr\n    nat_gateway_id = var.nat\n  }",
             egress="egress {\n    from_port   = var.port\n    to_port     = var.port\n    protocol    = \"tcp\"\n"
                    "    cidr_blocks = var.cidrs\n  }"),
    _tf_path("tf_path_route_of_numbers", route="route = [1, 2.5, true]", reason="not a route block"),
    _tf_path("tf_path_routes_unresolved", route="route = var.routes", extra=_TF_UNRESOLVED_NETWORK),
    _tf_path("tf_path_egress_unresolved", egress="egress = var.rules", extra=_TF_UNRESOLVED_NETWORK),
    _tf_path("tf_path_egress_port_words", egress="egress {\n    from_port   = \"https\"\n    to_port     = \"https\"\n"
                                                 "    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }"),
    _tf_path("tf_path_egress_booleans", egress="egress {\n    from_port   = true\n    to_port     = false\n"
                                               "    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }"),
    _tf_path("tf_path_routing_word", routing='"sometimes"', route=""),
    # --- CloudFormation --------------------------------------------------------------------------
    _cfn_path("cfn_path_subnets_null", "PathSubnetsNone", subnet_ids="null"),
    _cfn_path("cfn_path_subnets_number", "PathSubnetsNumber", subnet_ids="42"),
    _cfn_path("cfn_path_subnets_of_lists", "PathSubnetsLists", subnet_ids="[[[!Ref {name}Subnet]]]"),
    _cfn_path("cfn_path_subnets_unresolved", "PathSubnetsUnresolved", subnet_ids="!Ref Subnets",
              prefix=_CFN_UNRESOLVED_NETWORK_PARAMETERS),
    _cfn_path("cfn_path_unresolved_everywhere", "PathUnresolved", prefix=_CFN_UNRESOLVED_NETWORK_PARAMETERS,
              route="{RouteTableId: !Ref {name}Routes, DestinationCidrBlock: !Select [0, !Ref Subnets], "
                    "NatGatewayId: !If [Open, !Ref PathUnresolvedNat, !Ref 'AWS::NoValue']}",
              egress="[{IpProtocol: !Ref Port, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: !ImportValue cidr}]"),
    _cfn_path("cfn_path_egress_numbers_as_keys", "PathNumberKeys", egress="[{1: tcp, 443: 443, CidrIp: 0.0.0.0/0}]"),
    _cfn_path("cfn_path_egress_words", "PathEgressWords",
              egress="[{IpProtocol: tcp, FromPort: https, ToPort: https, CidrIp: 0.0.0.0/0}]"),
    _cfn_path("cfn_path_egress_null", "PathEgressNone", egress="null"),
    _cfn_path("cfn_path_route_of_booleans", "PathRouteBooleans",
              route="{RouteTableId: !Ref {name}Routes, DestinationCidrBlock: true, NatGatewayId: false}"),
    _cfn_path("cfn_path_routing_word", "PathRoutingWord", routing="sometimes",
              route="{RouteTableId: !Ref {name}Routes, DestinationCidrBlock: 10.0.0.0/8, "
                    "NatGatewayId: !Ref {name}Nat}"),
    _cfn_path("cfn_path_alias_of_broken_rule", "PathAlias", egress="[*broken, *broken]",
              prefix="Metadata:\n  Broken: &broken {IpProtocol: tcp, FromPort: [443], ToPort: {443: 443}, CidrIp: 7}"),
    _cfn_path("cfn_path_anchor_merge", "PathMerge", egress="[{<<: *rule, CidrIp: !ImportValue cidr}]",
              prefix="Metadata:\n  Rule: &rule {IpProtocol: tcp, FromPort: 443, ToPort: 443}"),
    _cfn_path("cfn_path_circular_references", "CircularPath",
              egress="[{IpProtocol: tcp, FromPort: 443, ToPort: 443, "
                     "DestinationSecurityGroupId: !Ref CircularPathOther}]",
              subnet_vpc="!GetAtt CircularPathOther.VpcId", extra_resources=_CFN_CIRCULAR_GROUPS),
)



# ---------------------------------------------------------------------------------------------------
# CKV_RSPEC_8: a bucket a cluster's role reads, and a trail whose broken data-event selectors (or logging
# switch) decide whether it records the reads. A trail may cover any bucket of its run, so these cases have
# a run of their own, and each asserts that its own trail is named in the reason.

READ_AUDIT = ("CKV_RSPEC_8",)
_TF_ALL_OBJECTS = """event_selector {
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }"""


def tf_trail(name: str, selectors: str, logging: str = "true", extra: str = "") -> Callable[[], Dict[str, str]]:
    read = tf_read(name, extra=extra)

    def files() -> Dict[str, str]:
        return {"main.tf": read()["main.tf"] + f"""
resource "aws_cloudtrail" "{name}" {{
  name           = "{name.replace('_', '-')}"
  s3_bucket_name = "acme-trail-logs"
  enable_logging = {logging}
  {selectors}
}}
"""}

    return files


def cfn_trail(name: str, selectors: str, logging: str = "true", prefix: str = "") -> Callable[[], Dict[str, str]]:
    """`selectors` is YAML of the trail's selector properties (indented 6)."""
    return cfn_read(name, prefix=prefix, extra_resources=f"""  {name}Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: acme-trail-logs
      IsLogging: {logging}
      {selectors}
""")


def _tf_audit(name: str, selectors: str, **options: str) -> BadInput:
    return BadInput(name, READ_AUDIT, "terraform", tf_trail(name, selectors, **options), f"aws_s3_bucket.{name}",
                    reason=f"aws_cloudtrail.{name}", group="audit")


def _cfn_audit(name: str, logical_id: str, selectors: str, **options: str) -> BadInput:
    return BadInput(name, READ_AUDIT, "cloudformation", cfn_trail(logical_id, selectors, **options),
                    f"AWS::S3::Bucket.{logical_id}Bucket", reason=f"AWS::CloudTrail::Trail.{logical_id}Trail",
                    group="audit")


_TF_UNRESOLVED_AUDIT = "\n".join(f'variable "{name}" {{}}' for name in ("values", "type", "mode", "field", "logging"))
_CFN_UNRESOLVED_AUDIT_PARAMETERS = """Parameters:
  Mode: {Type: String}
  Prefix: {Type: String}
Conditions:
  Audited: !Equals [!Ref Mode, "on"]"""
_CFN_DEEP_VALUES = "[" * 150 + "arn:aws:s3" + "]" * 150

AUDIT_CASES: Tuple[BadInput, ...] = (
    # --- Terraform -------------------------------------------------------------------------------
    _tf_audit("tf_trail_unresolved_everywhere", extra=_TF_UNRESOLVED_AUDIT, logging="var.logging",
              selectors="event_selector {\n    read_write_type = var.mode\n    data_resource {\n"
                        "      type   = var.type\n      values = var.values\n    }\n  }"),
    _tf_audit("tf_trail_read_write_word", selectors=_TF_ALL_OBJECTS.replace(
        "event_selector {", 'event_selector {\n    read_write_type = "Sometimes"')),
    _tf_audit("tf_trail_logging_word", selectors=_TF_ALL_OBJECTS, logging='"yes"'),
    _tf_audit("tf_trail_selector_of_numbers", selectors="event_selector = [1, 2]"),
    _tf_audit("tf_trail_field_number", selectors="advanced_event_selector {\n    field_selector {\n      field  = 1\n"
                                                 '      equals = ["Data"]\n    }\n  }'),
    _tf_audit("tf_trail_field_unresolved", extra=_TF_UNRESOLVED_AUDIT,
              selectors='advanced_event_selector {\n    field_selector {\n      field  = "eventCategory"\n'
                        '      equals = ["Data"]\n    }\n    field_selector {\n      field  = "resources.type"\n'
                        '      equals = ["AWS::S3::Object"]\n    }\n    field_selector {\n      field  = var.field\n'
                        '      equals = ["x"]\n    }\n  }'),
    # --- CloudFormation --------------------------------------------------------------------------
    _cfn_audit("cfn_trail_selectors_null", "TrailSelectorsNone", "EventSelectors: null"),
    _cfn_audit("cfn_trail_selectors_string", "TrailSelectorsString", "EventSelectors: all"),
    _cfn_audit("cfn_trail_selectors_of_numbers", "TrailSelectorsNumbers", "EventSelectors: [1, 2.5, true]"),
    _cfn_audit("cfn_trail_data_resources_null", "TrailDataNone",
               "EventSelectors: [{ReadWriteType: All, DataResources: null}]"),
    _cfn_audit("cfn_trail_numbers_as_keys", "TrailNumberKeys",
               "AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Data]}, "
               "{Field: resources.type, Equals: [AWS::S3::Object]}, {1: resources.ARN, 2: [x]}]}]"),
    _cfn_audit("cfn_trail_boolean_field", "TrailBooleanField",
               "AdvancedEventSelectors: [{FieldSelectors: [{Field: true, Equals: [Data]}]}]"),
    _cfn_audit("cfn_trail_logging_word", "TrailLoggingWord",
               "EventSelectors: [{DataResources: [{Type: AWS::S3::Object, Values: [arn:aws:s3]}]}]", logging="'yes'"),
    _cfn_audit("cfn_trail_unresolved_everywhere", "TrailUnresolved", prefix=_CFN_UNRESOLVED_AUDIT_PARAMETERS,
               logging="!Equals [!Ref Mode, on]",
               selectors="EventSelectors: [{ReadWriteType: !Ref Mode, DataResources: [{Type: !ImportValue type, "
                         "Values: [!Sub '${Prefix}/', !Select [0, !Split [',', !Ref Prefix]]]}]}]"),
    # Fn::If is judged per deployment (docs/cloudformation.md); its other branch is unknown.
    _cfn_audit("cfn_trail_selectors_if", "TrailIf", prefix=_CFN_UNRESOLVED_AUDIT_PARAMETERS,
               selectors="EventSelectors: !If [Audited, [{DataResources: [{Type: AWS::S3::Object, "
                         "Values: [arn:aws:s3]}]}], !ImportValue selectors]"),
    _cfn_audit("cfn_trail_alias_of_broken_selector", "TrailAlias", "EventSelectors: [*broken, *broken]",
               prefix="Metadata:\n  Broken: &broken {ReadWriteType: Sometimes, DataResources: "
                      "[{Type: AWS::S3::Object, Values: [arn:aws:s3]}]}"),
    _cfn_audit("cfn_trail_anchor_merge", "TrailMerge",
               "EventSelectors:\n        - <<: *selector\n          ReadWriteType: !ImportValue mode",
               prefix="Metadata:\n  Selector: &selector "
                      "{DataResources: [{Type: AWS::S3::Object, Values: [arn:aws:s3]}]}"),
    _cfn_audit("cfn_trail_nesting_150", "TrailNesting",
               f"EventSelectors: [{{DataResources: [{{Type: AWS::S3::Object, Values: {_CFN_DEEP_VALUES}}}]}}]"),
)


# ---------------------------------------------------------------------------------------------------
# CKV_RSPEC_9: a bucket a cluster's role reads, whose server access logging is broken. Each reason names the
# bucket's own setting, since an aws_s3_bucket_logging of an unresolved bucket may log any bucket of its run.

ACCESS_LOGGING = ("CKV_RSPEC_9",)


def _tf_logging(name: str, in_bucket: str, reason: str, **options: str) -> BadInput:
    return BadInput(name, ACCESS_LOGGING, "terraform",
                    tf_read(name, in_bucket=in_bucket, extra='variable "logging" {}\nvariable "bucket" {}'),
                    f"aws_s3_bucket.{name}", reason=reason, **options)


def _cfn_logging(name: str, logical_id: str, configuration: str, reason: str, prefix: str = "") -> BadInput:
    return BadInput(name, ACCESS_LOGGING, "cloudformation",
                    cfn_read(logical_id, prefix=prefix, bucket_properties=f"LoggingConfiguration: {configuration}"),
                    f"AWS::S3::Bucket.{logical_id}Bucket", reason=reason)


LOGGING_CASES: Tuple[BadInput, ...] = (
    _tf_logging("tf_logging_word", 'logging = "yes"', reason="its logging is yes, not a block"),
    _tf_logging("tf_logging_unresolved", "logging = var.logging", reason="its logging is var.logging"),
    BadInput("tf_logging_of_an_unresolved_bucket", ACCESS_LOGGING, "terraform",
             tf_read("tf_logging_of_an_unresolved_bucket", extra='variable "bucket" {}\n'
                     'resource "aws_s3_bucket_logging" "tf_logging_of_an_unresolved_bucket" {\n'
                     '  bucket        = var.bucket\n  target_bucket = "acme-logs"\n}'),
             "aws_s3_bucket.tf_logging_of_an_unresolved_bucket",
             reason="aws_s3_bucket_logging.tf_logging_of_an_unresolved_bucket", group="audit"),
    _cfn_logging("cfn_logging_text", "LoggingText", "'yes'", reason="LoggingConfiguration is yes, not a mapping"),
    _cfn_logging("cfn_logging_number", "LoggingNumber", "42", reason="LoggingConfiguration is 42"),
    _cfn_logging("cfn_logging_null", "LoggingNone", "null", reason="LoggingConfiguration is null"),
    _cfn_logging("cfn_logging_list", "LoggingList", "[{DestinationBucketName: logs}]", reason="not a mapping"),
    _cfn_logging("cfn_logging_if", "LoggingIf", "!If [Audited, {DestinationBucketName: logs}, !ImportValue logging]",
                 reason="When Audited is false", prefix=_CFN_UNRESOLVED_AUDIT_PARAMETERS),
    _cfn_logging("cfn_logging_alias", "LoggingAlias", "*broken", reason="LoggingConfiguration is 7",
                 prefix="Metadata:\n  Broken: &broken 7"),
)

CASES: Tuple[BadInput, ...] = (
    ROLE_TRUST_CASES + SPECTRUM_READ_CASES + NETWORK_CASES + AUDIT_CASES + LOGGING_CASES
)
