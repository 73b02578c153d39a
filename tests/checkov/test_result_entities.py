"""Results carry only what Checkov's runners read from them (found by benchmarks/run.py).

Checkov deep-copies each graph-check result's entity and keeps it in its report; CloudFormation records print it
whole. With the resource's properties (top level and flattened, "Policies.0.PolicyDocument.Statement.0.Action")
and its config as written in every copy, nine checks cost +30.7% peak memory at 5,000 CloudFormation resources.
"""
from checkov.common.graph.graph_builder.graph_components.attribute_names import CustomAttributes

from spectrum_guard.checkov_adapter.graph_check import _reported
from spectrum_guard.estate.graph import WRITTEN_CONFIG, WrittenConfig

PROPERTIES = {
    "AssumeRolePolicyDocument": {"Statement": []},
    "AssumeRolePolicyDocument.Statement": [],
    "AssumeRolePolicyDocument.Statement.[0].Action.[0]": "sts:AssumeRole",
    "odd.key.without.parent": 1,
    "tags": {"team": "lake"},
}
CHECKOV_ATTRIBUTES = {value for name, value in vars(CustomAttributes).items() if not name.startswith("_")}


def test_a_terraform_entity_keeps_checkovs_attributes_and_its_config():
    checkov_attributes = {
        "block_name_": "aws_iam_role.spectrum",
        "block_type_": "resource",
        "file_path_": "/main.tf",
        "config_": {"aws_iam_role": {"spectrum": {"name": ["spectrum"]}}},
        "__address__": "aws_iam_role.spectrum",
        "source_module_object_": None,
        "connected_node": None,
        "source_": "Terraform",
    }
    assert _reported({**PROPERTIES, **checkov_attributes}) == checkov_attributes


def test_a_cloudformation_entity_keeps_checkovs_attributes_and_tags_and_no_config():
    checkov_attributes = {
        "block_name_": "AWS::IAM::Role.Spectrum",
        "block_type_": "resource",
        "file_path_": "/t.yaml",
        "id_": "AWS::IAM::Role.Spectrum",
        "source_": "CloudFormation",
        "Tags": [{"Key": "a", "Value": "b"}],
    }
    attributes = {
        **PROPERTIES,
        **checkov_attributes,
        "Tags.0.Key": "a",
        "config_": {"AssumeRolePolicyDocument": {"Statement": []}},
        WRITTEN_CONFIG: WrittenConfig({"AssumeRolePolicyDocument": {"Statement": []}}),
    }
    assert _reported(attributes) == checkov_attributes


def test_cloudformation_records_hold_only_checkovs_attributes(cloudformation_examples_scan):
    reports = cloudformation_examples_scan.raw
    records = [
        record
        for report in (reports if isinstance(reports, list) else [reports])
        for key in ("passed_checks", "failed_checks", "skipped_checks")
        for record in report["results"][key]
        if record["check_id"].startswith("CKV_RSPEC_")
    ]
    assert records
    for record in records:
        entity = record["check_result"]["entity"]
        assert entity["block_name_"] and entity["file_path_"]
        assert set(entity) - {"Tags"} <= CHECKOV_ATTRIBUTES, record["resource"]
        assert "config_" not in entity


def test_checkov_does_not_flatten_or_hash_the_config_kept_as_written(tmp_path):
    """Checkov flattens every dict attribute of a vertex into dotted keys and hashes their text; the config kept
    as written must stay opaque to it (it cost a fifth of Checkov's graph-building time at 20,000 resources)."""
    from checkov.cloudformation.graph_manager import CloudformationGraphManager
    from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector

    import spectrum_guard.checkov_adapter  # noqa: F401 - installs the wrapper that keeps configs as written
    from spectrum_guard.estate.graph import written_config

    (tmp_path / "template.yaml").write_text(
        "Parameters:\n  Env: {Type: String, Default: prod}\n"
        "Resources:\n"
        "  Lake: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub 'lake-${Env}'}}\n"
    )
    manager = CloudformationGraphManager(db_connector=RustworkxConnector())
    local_graph, _ = manager.build_graph_from_source_directory(str(tmp_path), render_variables=True)
    connector = manager.save_graph(local_graph)
    bucket = next(attributes for _, attributes in (connector[index] for index in connector.node_indices())
                  if attributes.get("resource_type") == "AWS::S3::Bucket")
    assert written_config(bucket)["BucketName"] == {"Fn::Sub": "lake-${Env}"}
    assert isinstance(bucket[WRITTEN_CONFIG], WrittenConfig)
    assert not [key for key in bucket if key.startswith(WRITTEN_CONFIG + ".")]
