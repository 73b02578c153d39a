"""Malformed resources, one table entry each, for tests/checkov/test_bad_input.py.

Every entry names the check it targets, the framework, the files of a small tree (generated, so that
hostile sizes need not be committed) and the resource whose UNKNOWN line the check must log. To cover
a new check, add entries whose resource is a subject of that check (for CKV_RSPEC_5: a role attached
to a cluster). The suite then asserts, through real Checkov: no crash (exit 0 or 1, no traceback),
no PASSED for that resource, and an "<check> UNKNOWN for <resource>" log line; or, for input that
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
    check_id: str
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


def cfn_role(name: str, document_yaml: str, prefix: str = "", extra_resources: str = "") -> Callable[[], Dict[str, str]]:
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

RSPEC_5 = "CKV_RSPEC_5"
_CFN_ANYONE_IF = (
    "{{Statement: [{{Effect: Allow, Action: sts:AssumeRole, Principal: "
    "!If [{condition}, {{AWS: '*'}}, {{Service: redshift.amazonaws.com}}]}}]}}"
)

CASES: Tuple[BadInput, ...] = (
    # --- Terraform -------------------------------------------------------------------------------
    BadInput("tf_not_json", RSPEC_5, "terraform",
             tf_role("tf_not_json", '"{\\"Version\\": \\"2012-10-17\\", Statement: [}"'),
             "aws_iam_role.tf_not_json", reason="not JSON"),
    BadInput("tf_json_list", RSPEC_5, "terraform",
             tf_role("tf_json_list", 'jsonencode([{ Effect = "Allow" }])'),
             "aws_iam_role.tf_json_list"),
    BadInput("tf_json_string", RSPEC_5, "terraform",
             tf_role("tf_json_string", '"\\"redshift.amazonaws.com\\""'),
             "aws_iam_role.tf_json_string"),
    BadInput("tf_number", RSPEC_5, "terraform", tf_role("tf_number", "42"), "aws_iam_role.tf_number"),
    BadInput("tf_statement_null", RSPEC_5, "terraform",
             tf_role("tf_statement_null", 'jsonencode({ Version = "2012-10-17", Statement = null })'),
             "aws_iam_role.tf_statement_null"),
    BadInput("tf_statement_string", RSPEC_5, "terraform",
             tf_role("tf_statement_string", heredoc('{"Version": "2012-10-17", "Statement": "Allow"}')),
             "aws_iam_role.tf_statement_string"),
    BadInput("tf_statement_of_numbers", RSPEC_5, "terraform",
             tf_role("tf_statement_of_numbers", heredoc('{"Statement": [1, 2.5, true, null]}')),
             "aws_iam_role.tf_statement_of_numbers"),
    BadInput("tf_numbers_as_keys", RSPEC_5, "terraform",
             tf_role("tf_numbers_as_keys", heredoc(
                 '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
                 ' "Principal": {"1": "redshift.amazonaws.com"}}]}')),
             "aws_iam_role.tf_numbers_as_keys"),
    BadInput("tf_booleans_as_strings", RSPEC_5, "terraform",
             tf_role("tf_booleans_as_strings", 'jsonencode({ Statement = [{ Effect = "true", Action = true,'
                                               ' Principal = { Service = "redshift.amazonaws.com" } }] })'),
             "aws_iam_role.tf_booleans_as_strings"),
    BadInput("tf_unresolved_everywhere", RSPEC_5, "terraform",
             tf_role("tf_unresolved_everywhere",
                     'jsonencode({ Version = var.version, Statement = [{ Effect = var.effect,'
                     ' Action = var.action, Principal = { Service = var.service } }] })',
                     extra=_TF_UNRESOLVED),
             "aws_iam_role.tf_unresolved_everywhere"),
    BadInput("tf_unresolved_statements", RSPEC_5, "terraform",
             tf_role("tf_unresolved_statements", 'jsonencode({ Statement = var.statements })', extra=_TF_UNRESOLVED),
             "aws_iam_role.tf_unresolved_statements"),
    BadInput("tf_unresolved_policy", RSPEC_5, "terraform",
             tf_role("tf_unresolved_policy", "var.statements", extra=_TF_UNRESOLVED),
             "aws_iam_role.tf_unresolved_policy"),
    BadInput("tf_missing_policy_document", RSPEC_5, "terraform",
             tf_role("tf_missing_policy_document", "data.aws_iam_policy_document.not_in_scan.json"),
             "aws_iam_role.tf_missing_policy_document"),
    BadInput("tf_deep_nesting", RSPEC_5, "terraform",
             tf_role("tf_deep_nesting", heredoc(deep_json(DEEP))), "aws_iam_role.tf_deep_nesting",
             reason="not JSON"),
    BadInput("tf_five_megabytes", RSPEC_5, "terraform",
             tf_role("tf_five_megabytes", heredoc(big_json(FIVE_MB))), "aws_iam_role.tf_five_megabytes",
             isolated=True, reason="statement #"),
    # --- CloudFormation --------------------------------------------------------------------------
    BadInput("cfn_not_json", RSPEC_5, "cloudformation",
             cfn_role("NotJsonText", "'{\"Statement\": [}'"), "AWS::IAM::Role.NotJsonText", reason="not JSON"),
    BadInput("cfn_list", RSPEC_5, "cloudformation", cfn_role("ListDocument", "[1, 2]"),
             "AWS::IAM::Role.ListDocument"),
    BadInput("cfn_number", RSPEC_5, "cloudformation", cfn_role("NumberDocument", "42"),
             "AWS::IAM::Role.NumberDocument"),
    BadInput("cfn_statement_null", RSPEC_5, "cloudformation",
             cfn_role("StatementNull", "{Version: '2012-10-17', Statement: null}"), "AWS::IAM::Role.StatementNull"),
    BadInput("cfn_document_null", RSPEC_5, "cloudformation", cfn_role("DocumentNull", "null"),
             "AWS::IAM::Role.DocumentNull"),
    BadInput("cfn_numbers_as_keys", RSPEC_5, "cloudformation",
             cfn_role("NumberKeys", "{Statement: [{Effect: Allow, Action: sts:AssumeRole, "
                                    "Principal: {1: redshift.amazonaws.com}, 2: 3}]}"),
             "AWS::IAM::Role.NumberKeys"),
    BadInput("cfn_boolean_keys_and_values", RSPEC_5, "cloudformation",
             cfn_role("BooleanKeys", "{Statement: [{Effect: true, Action: yes, "
                                     "Principal: {Service: redshift.amazonaws.com}, true: false}]}"),
             "AWS::IAM::Role.BooleanKeys"),
    BadInput("cfn_booleans_as_strings", RSPEC_5, "cloudformation",
             cfn_role("BooleanStrings", "{Statement: [{Effect: 'true', Action: sts:AssumeRole, "
                                        "Principal: {Service: redshift.amazonaws.com}}]}"),
             "AWS::IAM::Role.BooleanStrings"),
    BadInput("cfn_anchor_merge", RSPEC_5, "cloudformation",
             cfn_role("AnchorMerge",
                      "\n        Statement:\n          - <<: *base\n            Principal: {Service: !ImportValue other}",
                      prefix="Metadata:\n  Base: &base {Effect: Allow, Action: sts:AssumeRole}"),
             "AWS::IAM::Role.AnchorMerge"),
    BadInput("cfn_alias_of_broken_statement", RSPEC_5, "cloudformation",
             cfn_role("AliasBroken", "{Statement: [*broken, *broken]}",
                      prefix="Metadata:\n  Broken: &broken {Effect: Allow, Action: sts:AssumeRole, Principal: 7}"),
             "AWS::IAM::Role.AliasBroken"),
    BadInput("cfn_recursive_alias", RSPEC_5, "cloudformation",
             cfn_role("RecursiveAlias", "{Statement: &loop [{Effect: Allow, Action: sts:AssumeRole, "
                                        "Principal: {Service: redshift.amazonaws.com}, Condition: *loop}]}"),
             # Checkov: "found unconstructable recursive node".
             "AWS::IAM::Role.RecursiveAlias", expect="parse_error"),
    BadInput("cfn_unresolved_everywhere", RSPEC_5, "cloudformation",
             cfn_role("UnresolvedEverywhere",
                      "{Version: !Ref 'AWS::NoValue', Statement: [{Effect: !Ref Effect, "
                      "Action: !If [Maybe, sts:AssumeRole, !Ref 'AWS::NoValue'], "
                      "Principal: {Service: [!Ref Service, !ImportValue svc, !Sub '${Service}', "
                      "!Select [0, !Split [',', !Ref Service]], !FindInMap [m, k, v]]}}]}",
                      prefix=_CFN_UNRESOLVED_PARAMETERS),
             "AWS::IAM::Role.UnresolvedEverywhere"),
    BadInput("cfn_unresolved_document", RSPEC_5, "cloudformation",
             cfn_role("UnresolvedDocument", "!If [Maybe, !Ref Service, !ImportValue policy]",
                      prefix=_CFN_UNRESOLVED_PARAMETERS),
             "AWS::IAM::Role.UnresolvedDocument"),
    BadInput("cfn_circular_references", RSPEC_5, "cloudformation",
             cfn_role("CircularA", "{Statement: [{Effect: Allow, Action: sts:AssumeRole, "
                                   "Principal: {Service: !Sub '${CircularB.Arn}'}}]}",
                      extra_resources=_CFN_CIRCULAR),
             "AWS::IAM::Role.CircularA", also=("AWS::IAM::Role.CircularB",)),
    # A trust policy that lets anyone assume the role, but only under a condition that cannot be evaluated:
    # CloudFormation rejects such a template, so nothing in it is judged.
    BadInput("cfn_condition_on_undeclared_parameter", RSPEC_5, "cloudformation",
             cfn_role("UndeclaredParameter", _CFN_ANYONE_IF.format(condition="OnMissing"),
                      prefix="Conditions:\n  OnMissing: !Equals [!Ref Missing, yes]"),
             "AWS::IAM::Role.UndeclaredParameter", reason="Missing, which is not a parameter"),
    BadInput("cfn_if_on_undefined_condition", RSPEC_5, "cloudformation",
             cfn_role("UndefinedCondition", _CFN_ANYONE_IF.format(condition="Nowhere")),
             "AWS::IAM::Role.UndefinedCondition", reason="'Nowhere' is not defined"),
    # Checkov's own renderer recurses without end on circular Conditions, with or without the plugin.
    BadInput("cfn_circular_conditions_checkov_defect", RSPEC_5, "cloudformation",
             cfn_role("CircularConditions", _CFN_ANYONE_IF.format(condition="Primary"),
                      prefix="Conditions:\n  Primary: !Not [!Condition Secondary]\n  Secondary: !Condition Primary"),
             "AWS::IAM::Role.CircularConditions", isolated=True, expect="checkov_defect"),
    BadInput("cfn_json_deep_nesting", RSPEC_5, "cloudformation",
             # Checkov reads JSON templates with its YAML parser: "exceeded maximum nesting depth" (1,000).
             cfn_json_role("DeepJson", lambda: deep_json(DEEP)), "AWS::IAM::Role.DeepJson", expect="parse_error"),
    # Deep enough for spectrum-guard's own guard (64 levels), shallow enough for Checkov's parser.
    BadInput("cfn_json_nesting_150", RSPEC_5, "cloudformation",
             cfn_json_role("Nesting150", lambda: deep_json(150)), "AWS::IAM::Role.Nesting150", reason="nested more"),
    # Between about 200 and 1,000 levels, Checkov 3.3.30's CloudFormation YAML constructor overflows the stack and
    # the whole cloudformation runner dies (exit 2), with or without this plugin: a Checkov defect.
    BadInput("cfn_nesting_500_checkov_defect", RSPEC_5, "cloudformation",
             cfn_json_role("Nesting500", lambda: deep_json(500)), "AWS::IAM::Role.Nesting500",
             isolated=True, expect="checkov_defect"),
    BadInput("cfn_yaml_deep_nesting", RSPEC_5, "cloudformation",
             cfn_role("DeepYaml", "{Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: "
                                  "{Service: redshift.amazonaws.com}, Condition: {StringEquals: {k: "
                                  + "[" * DEEP + "x" + "]" * DEEP + "}}}]}"),
             "AWS::IAM::Role.DeepYaml", expect="parse_error"),
    BadInput("cfn_json_five_megabytes", RSPEC_5, "cloudformation",
             # About 4 minutes of Checkov's own parsing and graph building on 2 cores.
             cfn_json_role("FiveMegabytes", lambda: big_json(FIVE_MB)), "AWS::IAM::Role.FiveMegabytes",
             isolated=True, slow=True, reason="statement #"),
)
