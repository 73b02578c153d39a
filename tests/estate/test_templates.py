"""Policies from templatefile() and data "template_file", with vertices shaped as Checkov 3.3.30 leaves them."""
import os

import pytest

from spectrum_guard.estate.documents import terraform_policy
from spectrum_guard.estate.graph import ResourceGraph
from spectrum_guard.estate.model import Unresolved
from spectrum_guard.estate.templates import MAX_TEMPLATE_BYTES, _variables_of_call, render
from spectrum_guard.policy import PolicyDocument, UnknownValue

TEMPLATE = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "OnlyThroughTheEndpoint",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::${bucket}", "arn:aws:s3:::${bucket}/*"],
    "Condition": {"StringNotEquals": {"aws:SourceVpce": "${vpce}"}}
  }]
}
"""


def graph_of(tmp_path, policy, address="aws_s3_bucket_policy.p", file_name="main.tf", extra=(), edges=()):
    vertices = [(0, {"block_type_": "resource", "resource_type": "aws_s3_bucket_policy", "__address__": address,
                     "source_": "Terraform", "file_path_": str(tmp_path / file_name), "policy": [policy]})]
    vertices += [(index, attributes) for index, attributes in enumerate(extra, start=1)]
    return ResourceGraph(vertices, edges)


def policy_of(graph):
    return terraform_policy(graph, graph.vertex(0), "policy")


def condition_values(document):
    return [value for statement in document.statements for condition in statement.conditions
            for value in condition.values]


def call(path, variables):
    return f'${{templatefile("{path}",{variables})}}'


@pytest.fixture
def template(tmp_path):
    (tmp_path / "policy.json.tpl").write_text(TEMPLATE)
    return tmp_path


def test_literal_variables_render_the_policy(template):
    graph = graph_of(template, call("${path.module}/policy.json.tpl", "{'bucket': 'acme-raw', 'vpce': 'vpce-1'}"))
    document = policy_of(graph)
    assert isinstance(document, PolicyDocument)
    assert document.statements[0].resources == ("arn:aws:s3:::acme-raw", "arn:aws:s3:::acme-raw/*")
    assert condition_values(document) == ["vpce-1"]


def test_values_checkov_rendered_from_references_are_literals(template):
    # `bucket = var.bucket` with a default, `vpce = aws_vpc_endpoint.s3.id` unresolved.
    graph = graph_of(template, call("${path.module}/policy.json.tpl",
                                    "{'bucket': acme-raw, 'vpce': '${aws_vpc_endpoint.s3.id}'}"))
    document = policy_of(graph)
    assert document.statements[0].resources == ("arn:aws:s3:::acme-raw", "arn:aws:s3:::acme-raw/*")
    [vpce] = condition_values(document)
    assert isinstance(vpce, UnknownValue) and "aws_vpc_endpoint.s3.id" in vpce.reason


def test_a_call_without_interpolation_marks_and_a_plain_relative_path_in_the_root_module(template):
    graph = graph_of(template, "templatefile(\"policy.json.tpl\",{'bucket': 'b', 'vpce': True})")
    assert condition_values(policy_of(graph)) == ["true"]


def test_a_plain_relative_path_inside_a_module_depends_on_the_working_directory(template):
    graph = graph_of(template, call("policy.json.tpl", "{'bucket': 'b', 'vpce': 'v'}"),
                     address="module.lake.aws_s3_bucket_policy.p")
    result = policy_of(graph)
    assert isinstance(result, Unresolved) and "relative to where Terraform runs" in result.reason


@pytest.mark.parametrize("variables, reason", [
    ("local.vars", "are not known"),
    ("{'bucket': 'b'}", "which the variables the scan can read do not give"),
    # How Checkov writes a map variable it cannot resolve.
    ("{}", "which the variables the scan can read do not give"),
    ("{'bucket': ['a', 'b'], 'vpce': 'v'}", "a list or map"),
    ("{'bucket': 'it\\'s \\\\\"quoted\\\\\"', 'vpce': 'v'}", "not a map spectrum-guard can read"),
    # A variable's default "a, 'b': c}" is written bare: the map no longer reads as one.
    ("{'bucket': 'b', 'vpce': a, 'b': c}}", "not a map spectrum-guard can read"),
    ("{'bucket': Allow all, 'vpce': 'v'}", "not a map spectrum-guard can read"),
])
def test_variables_that_cannot_be_read_leave_the_policy_unresolved(template, variables, reason):
    result = policy_of(graph_of(template, call("${path.module}/policy.json.tpl", variables)))
    assert isinstance(result, Unresolved) and reason in result.reason


@pytest.mark.parametrize("text, reason", [
    ('{"Resource": "%{ if strict }arn:aws:s3:::${bucket}%{ endif }"}', "directive"),
    ('{"Resource": "${upper(bucket)}"}', "expression ${upper(bucket)}"),
    ('{"Resource": "${bucket}}', "not render to JSON"),
    ('{"Resource": ${vpce}}', "stand in for values the scan does not know"),
])
def test_templates_beyond_plain_interpolation_are_unresolved(tmp_path, text, reason):
    (tmp_path / "policy.json.tpl").write_text(text)
    variables = "{'bucket': 'b', 'vpce': '${aws_vpc_endpoint.s3.id}', 'strict': True}"
    result = policy_of(graph_of(tmp_path, call("${path.module}/policy.json.tpl", variables)))
    assert isinstance(result, Unresolved) and reason in result.reason


def test_escapes_render_as_literal_markers():
    assert render('{"a": "$${x} %%{y} ${x}"}', {"x": "1"}, "t") == ('{"a": "${x} %{y} 1"}', [])


def test_a_reference_is_escaped_for_a_json_string():
    body, references = render('"${x}"', _variables_of_call("{'x': '${aws_x.y[\"k\"].id}'}"), "t")
    assert body == '"${aws_x.y[\\"k\\"].id}"' and references


@pytest.mark.parametrize("path, reason", [
    ("${path.module}/missing.json.tpl", "is not in the scan"),
    ("${path.module}/../outside/policy.json.tpl", "outside the scanned directory"),
    ("/etc/passwd", "absolute"),
    ("${path.root}/policy.json.tpl", "not a literal path"),
    ("${var.dir}/policy.json.tpl", "not a literal path"),
])
def test_template_files_that_are_missing_or_outside_the_scan_are_unresolved(tmp_path, path, reason):
    scanned = tmp_path / "scanned"
    scanned.mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "policy.json.tpl").write_text(TEMPLATE)
    result = policy_of(graph_of(scanned, call(path, "{'bucket': 'b', 'vpce': 'v'}")))
    assert isinstance(result, Unresolved) and reason in result.reason


def test_a_symlink_out_of_the_scan_is_not_followed(tmp_path):
    scanned = tmp_path / "scanned"
    scanned.mkdir()
    (tmp_path / "secret.tpl").write_text(TEMPLATE)
    os.symlink(tmp_path / "secret.tpl", scanned / "policy.json.tpl")
    result = policy_of(graph_of(scanned, call("${path.module}/policy.json.tpl", "{'bucket': 'b', 'vpce': 'v'}")))
    assert isinstance(result, Unresolved) and "outside the scanned directory" in result.reason


def test_an_oversized_template_is_not_read(tmp_path):
    (tmp_path / "policy.json.tpl").write_text(" " * (MAX_TEMPLATE_BYTES + 1))
    result = policy_of(graph_of(tmp_path, call("${path.module}/policy.json.tpl", "{}")))
    assert isinstance(result, Unresolved) and result.malformed and "larger than" in result.reason


def template_file(template_path, template, variables, **more):
    return {"block_type_": "data", "resource_type": "data.template_file", "__address__": "template_file.lake",
            "source_": "Terraform", "file_path_": str(template_path / "main.tf"), "template": [template],
            "vars": [variables], **more}


def test_template_file_data_source_renders_with_literal_and_unresolved_variables(template):
    data = template_file(template, '${file("${path.module}/policy.json.tpl")}',
                         {"bucket": "acme-raw", "vpce": "aws_vpc_endpoint.s3.id"})
    graph = graph_of(template, "data.template_file.lake.rendered", extra=[data], edges=[(0, 1, "policy")])
    document = policy_of(graph)
    assert document.statements[0].resources == ("arn:aws:s3:::acme-raw", "arn:aws:s3:::acme-raw/*")
    [vpce] = condition_values(document)
    assert isinstance(vpce, UnknownValue) and "aws_vpc_endpoint.s3.id" in vpce.reason


@pytest.mark.parametrize("template_text, more, reason", [
    ('{\\"a\\": \\"$${bucket}\\"}', {}, "is not file(...)"),
    ('${file("${path.module}/policy.json.tpl")}', {"count": [2]}, "several instances"),
])
def test_template_file_data_sources_that_cannot_be_rendered(template, template_text, more, reason):
    data = template_file(template, template_text, {"bucket": "b", "vpce": "v"}, **more)
    graph = graph_of(template, "data.template_file.lake.rendered", extra=[data], edges=[(0, 1, "policy")])
    result = policy_of(graph)
    assert isinstance(result, Unresolved) and reason in result.reason


def test_a_template_file_outside_the_scan_is_named():
    graph = ResourceGraph([(0, {"block_type_": "resource", "resource_type": "aws_s3_bucket_policy",
                                "__address__": "aws_s3_bucket_policy.p", "source_": "Terraform",
                                "file_path_": "/x/main.tf", "policy": ["data.template_file.gone.rendered"]})], [])
    result = policy_of(graph)
    assert isinstance(result, Unresolved) and "not in the scan" in result.reason
