"""Roles, buckets and their policies reached through local modules, Checkov's graph built for real.

Checkov links every reference to an output of a module source instantiated more than once to one instance
and renders its value from there; these tests hold the estate to the instance the text names.
"""
from __future__ import annotations

import logging

from estate_builder import terraform_tree_estate
from spectrum_guard.estate import Unresolved
from spectrum_guard.policy import UnknownValue

ROLE_MODULE = '''
variable "name" {}
resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "redshift.amazonaws.com" } }]
  })
}
output "arn" { value = aws_iam_role.this.arn }
output "name" { value = aws_iam_role.this.name }
'''

LAKE_MODULE = '''
variable "bucket" {}
resource "aws_s3_bucket" "this" { bucket = var.bucket }
output "id" { value = aws_s3_bucket.this.id }
'''

CLUSTER = '''
resource "aws_redshift_cluster" "c" {
  cluster_identifier = "c"
  node_type          = "ra3.xlplus"
  iam_roles          = [%s]
}
'''

READ_POLICY = '''
resource "aws_iam_role_policy" "read" {
  name   = "read"
  role   = %s
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
'''

BUCKET_POLICY = '''
resource "aws_s3_bucket_policy" "root" {
  bucket = %s
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }] })
}
'''


def module(call: str, source: str, **inputs: str) -> str:
    lines = "".join(f"  {key} = {value}\n" for key, value in inputs.items())
    return f'module "{call}" {{\n  source = "{source}"\n{lines}}}\n'


def roles_of_reader(estate) -> list:
    [reader] = estate.readers
    return sorted(role.resource.address for role in reader.roles)


def policies_by_role(estate) -> dict:
    return {role.resource.address: [policy.name for policy in role.identity_policies] for role in estate.roles}


def policies_by_bucket(estate) -> dict:
    return {str(bucket): [policy.name for policy in bucket.policies] for bucket in estate.buckets}


def test_a_role_created_in_another_module_is_attached_through_its_output(tmp_path):
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("iam", "./modules/iam", name='"spectrum"') + CLUSTER % "module.iam.arn"
        + READ_POLICY % "module.iam.name",
        "modules/iam/main.tf": ROLE_MODULE,
    })
    assert roles_of_reader(estate) == ["module.iam.aws_iam_role.this"]
    assert policies_by_role(estate) == {"module.iam.aws_iam_role.this": ["aws_iam_role_policy.read"]}


def test_a_module_used_twice_is_told_apart_by_the_call_the_reference_names(tmp_path):
    # Checkov links module.role_b's outputs to role_a's, and renders module.role_b.name as "spectrum-a".
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("role_a", "./modules/iam", name='"spectrum-a"')
        + module("role_b", "./modules/iam", name='"spectrum-b"')
        + CLUSTER % "module.role_b.arn" + READ_POLICY % "module.role_b.name",
        "modules/iam/main.tf": ROLE_MODULE,
    })
    assert roles_of_reader(estate) == ["module.role_b.aws_iam_role.this"]
    assert policies_by_role(estate) == {
        "module.role_a.aws_iam_role.this": [],
        "module.role_b.aws_iam_role.this": ["aws_iam_role_policy.read"],
    }


def test_count_and_for_each_instances_of_a_shared_source_are_told_apart_by_their_key(tmp_path):
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("lakes", "./modules/lake", for_each='toset(["x", "y"])', bucket='"acme-${each.key}"')
        + module("counted", "./modules/lake", count="2", bucket='"acme-${count.index}"')
        + BUCKET_POLICY % 'module.lakes["y"].id' + BUCKET_POLICY.replace('"root"', '"second"') % "module.counted[1].id",
        "modules/lake/main.tf": LAKE_MODULE,
    })
    assert policies_by_bucket(estate) == {
        "acme-x": [], "acme-y": ["aws_s3_bucket_policy.root"], "acme-0": [], "acme-1": ["aws_s3_bucket_policy.second"],
    }


def test_a_nested_module_resolves_the_call_in_its_own_instance(tmp_path):
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("platform", "./platform") + CLUSTER % "module.platform.role_arn",
        "platform/main.tf": module("role_a", "../modules/iam", name='"spectrum-a"')
        + module("role_b", "../modules/iam", name='"spectrum-b"')
        + 'output "role_arn" { value = module.role_b.arn }\n',
        "modules/iam/main.tf": ROLE_MODULE,
    })
    assert roles_of_reader(estate) == ["module.platform.module.role_b.aws_iam_role.this"]


def test_each_key_and_count_index_are_the_referring_instance_s_own_key(tmp_path):
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("lakes", "./modules/lake", for_each='toset(["x", "y"])', bucket='"acme-${each.key}"')
        + BUCKET_POLICY.replace("bucket = %s", 'for_each = toset(["x", "y"])\n  bucket = module.lakes[each.key].id'),
        "modules/lake/main.tf": LAKE_MODULE,
    })
    assert policies_by_bucket(estate) == {
        "acme-x": ['aws_s3_bucket_policy.root["x"]'], "acme-y": ['aws_s3_bucket_policy.root["y"]'],
    }


def test_an_instance_the_text_does_not_tell_leaves_the_policy_unreadable_on_every_candidate(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("lakes", "./modules/lake", for_each='toset(["x", "y"])', bucket='"acme-${each.key}"')
        + BUCKET_POLICY.replace("bucket = %s", 'for_each = toset(["x"])\n  bucket = module.lakes[each.value].id'),
        "modules/lake/main.tf": LAKE_MODULE,
    })
    policies = {str(bucket): bucket.policies for bucket in estate.buckets}
    assert sorted(policies) == ["acme-x", "acme-y"]
    for attached in policies.values():
        [policy] = attached
        assert isinstance(policy.document, Unresolved) and "cannot tell which" in policy.document.reason
    assert 'aws_s3_bucket_policy.root["x"] may be the policy of' in caplog.text


ZONE_MODULE = '''
variable "bucket" {}
resource "aws_s3_bucket" "%s" { bucket = var.bucket }
output "arn" { value = aws_s3_bucket.%s.arn }
'''

GRANT = '''
resource "aws_iam_role" "spectrum" {
  name = "spectrum"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "redshift.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "read" {
  name   = "read"
  role   = aws_iam_role.spectrum.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [%s]
  })
}
''' + CLUSTER % "aws_iam_role.spectrum.arn"


def read_of(output: str) -> str:
    return f'{{ Effect = "Allow", Action = "s3:GetObject", Resource = ["${{{output}}}/*"] }}'


def spectrum_bucket_names(estate) -> list:
    return sorted(str(found.bucket) for found in estate.spectrum_buckets)


def test_an_output_copied_into_a_policy_is_resolved_in_the_module_that_wrote_it(tmp_path):
    # Checkov renders "${module.raw.arn}/*" as "\"aws_s3_bucket.zone.arn\"/*", which only the module resolves.
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("raw", "./modules/zone", bucket='"acme-raw"') + GRANT % read_of("module.raw.arn"),
        "modules/zone/main.tf": ZONE_MODULE % ("zone", "zone"),
    })
    assert spectrum_bucket_names(estate) == ["acme-raw"]


def test_outputs_of_two_modules_are_each_resolved_in_their_own_module(tmp_path):
    other_module = ZONE_MODULE.replace('output "arn"', 'output "bucket_arn"') % ("other", "other")
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("raw", "./modules/zone", bucket='"acme-raw"')
        + module("curated", "./modules/other", bucket='"acme-curated"')
        + GRANT % ", ".join((read_of("module.raw.arn"), read_of("module.curated.bucket_arn"))),
        "modules/zone/main.tf": ZONE_MODULE % ("zone", "zone"),
        "modules/other/main.tf": other_module,
    })
    assert spectrum_bucket_names(estate) == ["acme-curated", "acme-raw"]


def test_outputs_of_the_same_name_in_two_modules_are_read_from_the_source(tmp_path):
    # Checkov copies `module.curated.arn` from either module's output named "arn": it may copy raw's.
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("raw", "./modules/zone", bucket='"acme-raw"')
        + module("curated", "./modules/other", bucket='"acme-curated"')
        + GRANT % read_of("module.curated.arn"),
        "modules/zone/main.tf": ZONE_MODULE % ("zone", "zone"),
        "modules/other/main.tf": ZONE_MODULE % ("other", "other"),
    })
    assert spectrum_bucket_names(estate) == ["acme-curated"]


def test_copies_that_read_alike_are_read_from_the_source(tmp_path):
    # Both modules write `aws_s3_bucket.this.arn`: the copies read alike, the policy's source tells them apart.
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("raw", "./modules/zone", bucket='"acme-raw"')
        + module("curated", "./modules/other", bucket='"acme-curated"')
        + GRANT % ", ".join((read_of("module.raw.arn"), read_of("module.curated.arn"))),
        "modules/zone/main.tf": ZONE_MODULE % ("this", "this"),
        "modules/other/main.tf": ZONE_MODULE % ("this", "this"),
    })
    assert spectrum_bucket_names(estate) == ["acme-curated", "acme-raw"]


def test_outputs_of_a_source_instantiated_twice_are_read_from_the_source(tmp_path):
    # Checkov copies one instance's value for both references; the policy's source names each instance.
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("raw", "./modules/zone", bucket='"acme-raw"')
        + module("curated", "./modules/zone", bucket='"acme-curated"')
        + GRANT % ", ".join((read_of("module.raw.arn"), read_of("module.curated.arn"))),
        "modules/zone/main.tf": ZONE_MODULE % ("this", "this"),
    })
    assert spectrum_bucket_names(estate) == ["acme-curated", "acme-raw"]


def test_an_ambiguous_copy_the_source_does_not_name_stays_unknown(tmp_path):
    # The policy is built in a local: its source names no module output, so which one each copy is stays unknown.
    local_policy = GRANT.replace(
        'policy = jsonencode({\n    Version   = "2012-10-17"\n    Statement = [%s]\n  })',
        "policy = jsonencode(local.read)",
    ) + 'locals {\n  read = { Version = "2012-10-17", Statement = [%s] }\n}\n'
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("raw", "./modules/zone", bucket='"acme-raw"')
        + module("curated", "./modules/zone", bucket='"acme-curated"')
        + local_policy % ", ".join((read_of("module.raw.arn"), read_of("module.curated.arn"))),
        "modules/zone/main.tf": ZONE_MODULE % ("this", "this"),
    })
    assert spectrum_bucket_names(estate) == []
    [role] = [role for role in estate.roles if role.resource.address == "aws_iam_role.spectrum"]
    [policy] = role.identity_policies
    assert all(isinstance(resource, UnknownValue) for resource in policy.document.statements[0].resources)


def test_a_policy_document_data_source_reads_its_ambiguous_copies_from_the_source(tmp_path):
    document = '''
data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${module.raw.arn}/*", "${module.curated.arn}/*"]
  }
}
'''
    grant = GRANT.replace(
        'policy = jsonencode({\n    Version   = "2012-10-17"\n    Statement = [%s]\n  })',
        "policy = data.aws_iam_policy_document.read.json",
    )
    _, estate = terraform_tree_estate(tmp_path, {
        "main.tf": module("raw", "./modules/zone", bucket='"acme-raw"')
        + module("curated", "./modules/zone", bucket='"acme-curated"') + document + grant,
        "modules/zone/main.tf": ZONE_MODULE % ("this", "this"),
    })
    assert spectrum_bucket_names(estate) == ["acme-curated", "acme-raw"]
