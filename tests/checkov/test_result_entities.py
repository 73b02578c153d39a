"""Results carry the vertex attributes without their flattened copies (found by benchmarks/run.py).

Checkov keeps each graph-check result's attributes in its report; CloudFormation records print them whole.
For a role with inline policies the flattened copies ("Policies.0.PolicyDocument.Statement.0.Action")
were most of it: +17.5% peak memory at 20,000 resources. Everything Checkov reads stays.
"""
from spectrum_guard.checkov_adapter.graph_check import _reported


def test_flattened_copies_go_and_the_rest_stays():
    attributes = {
        "AssumeRolePolicyDocument": {"Statement": []},
        "AssumeRolePolicyDocument.Statement": [],
        "AssumeRolePolicyDocument.Statement.[0].Action.[0]": "sts:AssumeRole",
        "Tags": [{"Key": "a", "Value": "b"}],
        "Tags.0.Key": "a",
        "block_name_": "AWS::IAM::Role.Spectrum",
        "file_path_": "/t.yaml",
        "config_": {"Type": "AWS::IAM::Role"},
        "__address__": "aws_iam_role.spectrum",
        "odd.key.without.parent": 1,
    }
    assert _reported(attributes) == {
        "AssumeRolePolicyDocument": {"Statement": []},
        "Tags": [{"Key": "a", "Value": "b"}],
        "block_name_": "AWS::IAM::Role.Spectrum",
        "file_path_": "/t.yaml",
        "config_": {"Type": "AWS::IAM::Role"},
        "__address__": "aws_iam_role.spectrum",
        "odd.key.without.parent": 1,
    }


def test_cloudformation_records_hold_no_flattened_copies(cloudformation_examples_scan):
    reports = cloudformation_examples_scan.raw
    records = [
        record
        for report in (reports if isinstance(reports, list) else [reports])
        for key in ("passed_checks", "failed_checks")
        for record in report["results"][key]
        if record["check_id"].startswith("CKV_RSPEC_")
    ]
    assert records
    for record in records:
        entity = record["check_result"]["entity"]
        assert entity["block_name_"] and entity["file_path_"]
        assert not [key for key in entity if "." in key and key.split(".", 1)[0] in entity]
