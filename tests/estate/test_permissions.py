"""Role ARNs, identity policies in every form, boundaries and organisation policies."""
from __future__ import annotations

from estate_builder import cloudformation_estate, terraform_estate

from spectrum_guard.estate import Unresolved
from spectrum_guard.policy import PolicyDocument, UnknownValue, symbolic_text

TRUST = """jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "sts:AssumeRole",
    Principal = { Service = "redshift.amazonaws.com" } }]})"""

TERRAFORM_ROLE_POLICIES = f"""
resource "aws_s3_bucket" "lake" {{
  bucket = "acme-lake"
}}

resource "aws_iam_role" "spectrum" {{
  name               = "acme-spectrum"
  assume_role_policy = {TRUST}
  inline_policy {{
    name   = "inline-read"
    policy = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Allow", Action = "s3:GetObject", Resource = "${{aws_s3_bucket.lake.arn}}/inline/*"}}]}})
  }}
  managed_policy_arns  = [aws_iam_policy.listed.arn, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
  permissions_boundary = aws_iam_policy.boundary.arn
}}

resource "aws_iam_role_policy" "read" {{
  role   = aws_iam_role.spectrum.id
  policy = data.aws_iam_policy_document.read.json
}}

data "aws_iam_policy_document" "read" {{
  statement {{
    actions   = ["s3:GetObject"]
    resources = ["${{aws_s3_bucket.lake.arn}}/sales/*"]
  }}
}}

resource "aws_iam_policy" "listed" {{
  name   = "listed"
  policy = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Allow", Action = "s3:ListBucket", Resource = aws_s3_bucket.lake.arn}}]}})
}}

resource "aws_iam_policy" "attached" {{
  name   = "attached"
  policy = <<POLICY
{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-lake/attached/*"}}}}
POLICY
}}

resource "aws_iam_role_policy_attachment" "attached" {{
  role       = aws_iam_role.spectrum.name
  policy_arn = aws_iam_policy.attached.arn
}}

resource "aws_iam_policy_attachment" "exclusive" {{
  name       = "exclusive"
  roles      = [aws_iam_role.spectrum.name]
  policy_arn = aws_iam_policy.attached.arn
}}

resource "aws_iam_policy" "boundary" {{
  name   = "boundary"
  policy = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Allow", Action = ["s3:*", "glue:*"], Resource = "*"}}]}})
}}

resource "aws_organizations_policy" "scp" {{
  name    = "deny-old-signatures"
  content = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Deny", Action = "s3:*", Resource = "*",
    Condition = {{ NumericGreaterThan = {{ "s3:signatureAge" = 600000 }} }} }}]}})
}}

resource "aws_organizations_policy" "rcp" {{
  name    = "rcp"
  type    = "RESOURCE_CONTROL_POLICY"
  content = jsonencode({{Version = "2012-10-17", Statement = [{{Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*",
    Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }} }}]}})
}}

resource "aws_organizations_policy" "tags" {{
  name    = "tags"
  type    = "TAG_POLICY"
  content = jsonencode({{tags = {{}}}})
}}
"""


def resources_of(document: PolicyDocument) -> list:
    return [symbolic_text(resource) for statement in document.statements for resource in statement.resources or ()]


def test_terraform_identity_policies_in_every_form(tmp_path):
    _, estate = terraform_estate(tmp_path, TERRAFORM_ROLE_POLICIES)
    [role] = estate.roles
    policies = {policy.name: policy for policy in role.identity_policies}
    assert sorted(policies) == [
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "aws_iam_policy.attached",
        "aws_iam_policy.listed",
        "aws_iam_role_policy.read",
        "inline policy inline-read of aws_iam_role.spectrum",
    ]
    # References to the bucket read as its ARN; each policy is parsed once, whatever attaches it.
    assert resources_of(policies["aws_iam_role_policy.read"].document) == ["arn:aws:s3:::acme-lake/sales/*"]
    assert resources_of(policies["inline policy inline-read of aws_iam_role.spectrum"].document) == [
        "arn:aws:s3:::acme-lake/inline/*"
    ]
    assert resources_of(policies["aws_iam_policy.attached"].document) == ["arn:aws:s3:::acme-lake/attached/*"]
    assert str(policies["aws_iam_policy.attached"].resource) == "aws_iam_policy.attached"
    aws_managed = policies["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
    assert aws_managed.elsewhere and isinstance(aws_managed.document, Unresolved)
    assert aws_managed.resource == role.resource
    assert role.permissions_boundary.name == "aws_iam_policy.boundary"
    assert not role.permissions_boundary.elsewhere


def test_terraform_organization_policies(tmp_path):
    _, estate = terraform_estate(tmp_path, TERRAFORM_ROLE_POLICIES)
    assert [policy.name for policy in estate.organization_policies] == [
        "SCP aws_organizations_policy.scp",
        "RCP aws_organizations_policy.rcp",
    ]
    assert all(isinstance(policy.document, PolicyDocument) for policy in estate.organization_policies)


def test_role_arn_is_known_but_for_its_account(tmp_path):
    _, estate = terraform_estate(tmp_path, TERRAFORM_ROLE_POLICIES)
    [role] = estate.roles
    assert isinstance(role.arn, UnknownValue)
    assert role.arn.pattern == "arn:aws:iam::*:role/acme-spectrum"


CLOUDFORMATION_ROLE_POLICIES = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Lake:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "acme-lake-${AWS::AccountId}"
  SpectrumRole:
    Type: AWS::IAM::Role
    Properties:
      Path: /analytics/
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement: {Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:${AWS::Partition}:s3:::${Lake}/*"}
      ManagedPolicyArns:
        - !Ref Listed
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AWSGlueConsoleFullAccess"
      PermissionsBoundary: arn:aws:iam::111122223333:policy/boundary-elsewhere
  Listed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [{Effect: Allow, Action: s3:ListBucket, Resource: !GetAtt Lake.Arn}]
  ByRoles:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref SpectrumRole]
      PolicyDocument:
        Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "${Lake.Arn}/by-roles/*"}]
  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: inline
      Roles: [!Ref SpectrumRole]
      PolicyDocument:
        Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Join ["", [!GetAtt Lake.Arn, "/joined/*"]]}]
  RolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      PolicyName: role-policy
      RoleName: !Ref SpectrumRole
      PolicyDocument:
        Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]
  Scp:
    Type: AWS::Organizations::Policy
    Properties:
      Name: scp
      Type: SERVICE_CONTROL_POLICY
      Content: '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}'
"""


def test_cloudformation_identity_policies_in_every_form(tmp_path):
    _, estate = cloudformation_estate(tmp_path, CLOUDFORMATION_ROLE_POLICIES)
    [role] = estate.roles
    policies = {policy.name: policy for policy in role.identity_policies}
    assert sorted(policies) == [
        "AWS::IAM::ManagedPolicy.ByRoles",
        "AWS::IAM::ManagedPolicy.Listed",
        "AWS::IAM::Policy.Inline",
        "AWS::IAM::RolePolicy.RolePolicy",
        "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess",
        "inline policy read of AWS::IAM::Role.SpectrumRole",
    ]
    [bucket] = estate.buckets
    lake = bucket.name_text
    assert resources_of(policies["inline policy read of AWS::IAM::Role.SpectrumRole"].document) == [
        f"arn:aws:s3:::{lake}/*"
    ]
    assert resources_of(policies["AWS::IAM::ManagedPolicy.Listed"].document) == [f"arn:aws:s3:::{lake}"]
    assert resources_of(policies["AWS::IAM::ManagedPolicy.ByRoles"].document) == [f"arn:aws:s3:::{lake}/by-roles/*"]
    assert resources_of(policies["AWS::IAM::Policy.Inline"].document) == [f"arn:aws:s3:::{lake}/joined/*"]
    assert policies["arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess"].elsewhere
    assert role.permissions_boundary.elsewhere
    assert role.arn.pattern == "arn:aws:iam::*:role/analytics/*"
    assert [policy.name for policy in estate.organization_policies] == ["SCP AWS::Organizations::Policy.Scp"]


def test_a_policy_attached_twice_is_listed_once(tmp_path):
    _, estate = terraform_estate(tmp_path, TERRAFORM_ROLE_POLICIES)
    names = [policy.name for policy in estate.roles[0].identity_policies]
    assert len(names) == len(set(names))
