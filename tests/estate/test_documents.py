from spectrum_guard.estate.documents import cloudformation_policy, terraform_policy
from spectrum_guard.estate.graph import ResourceGraph, Vertex
from spectrum_guard.estate.model import Unresolved
from spectrum_guard.policy import PolicyDocument, UnknownValue

TRUST = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole",
                                               "Principal": {"Service": "redshift.amazonaws.com"}}}


def terraform_graph(*vertices, edges=()):
    return ResourceGraph(
        [(index, {"block_type_": block, "resource_type": kind, "block_name_": name,
                  "source_": "Terraform", **attributes})
         for index, (block, kind, name, attributes) in enumerate(vertices)],
        edges,
    )


def role(policy):
    return ("resource", "aws_iam_role", "aws_iam_role.r", {"assume_role_policy": policy})


def principals(document):
    return [(p.kind, p.value) for statement in document.statements for p in statement.principals or ()]


def test_dict_with_noise_keys():
    graph = terraform_graph(role({**TRUST, "__startline__": 1}))
    document = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    assert isinstance(document, PolicyDocument) and principals(document) == [("Service", "redshift.amazonaws.com")]


def test_json_text_and_wrapped_json_text():
    for value in ('{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}}',
                  ['{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}}']):
        graph = terraform_graph(role(value))
        assert principals(terraform_policy(graph, graph.vertex(0), "assume_role_policy")) == [("AWS", "*")]


def test_jsonencode_left_as_python_literal_text_is_parsed_without_eval():
    text = ("${jsonencode({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'sts:AssumeRole', "
            "'Principal': {'AWS': ['aws_iam_role.other.arn']}}]})}")
    graph = terraform_graph(role(text))
    [(kind, value)] = principals(terraform_policy(graph, graph.vertex(0), "assume_role_policy"))
    assert kind == "AWS" and isinstance(value, UnknownValue) and "aws_iam_role.other.arn" in value.reason


def test_jsonencode_text_that_is_not_a_literal_is_unresolved():
    graph = terraform_graph(role("${jsonencode({'Statement': [__import__('os')]})}"))
    result = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    assert isinstance(result, Unresolved) and not result.malformed


def test_text_that_is_not_json_is_malformed():
    graph = terraform_graph(role('{"Statement": ['))
    result = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    assert isinstance(result, Unresolved) and result.malformed and "not JSON" in result.reason


def test_wrong_shape_is_malformed():
    graph = terraform_graph(role({"Statement": None}))
    result = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    assert isinstance(result, Unresolved) and result.malformed


def test_computed_reference_is_unresolved_not_malformed():
    graph = terraform_graph(role("aws_iam_role.other.arn"))
    result = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    assert isinstance(result, Unresolved) and not result.malformed and "aws_iam_role.other.arn" in result.reason


def test_policy_document_with_sources_and_overrides_follows_the_provider_merge():
    def document(name, statements, **extra):
        return ("data", "data.aws_iam_policy_document", f"aws_iam_policy_document.{name}",
                {"statement": statements, **extra})

    redshift = {"sid": ["Assume"], "actions": ["sts:AssumeRole"],
                "principals": {"type": "Service", "identifiers": ["redshift.amazonaws.com"]}}
    account = {"sid": ["Assume"], "actions": ["sts:AssumeRole"],
               "principals": {"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:root"]},
               "condition": [{"test": "StringEquals", "variable": "sts:ExternalId", "values": ["x"]},
                             {"test": "StringEquals", "variable": "sts:ExternalId", "values": ["y"]}]}
    glue = {"actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "identifiers": ["glue.amazonaws.com"]}]}
    graph = terraform_graph(
        role("data.aws_iam_policy_document.merged.json"),
        document("merged", [account],
                 source_policy_documents=["data.aws_iam_policy_document.base.json"],
                 override_policy_documents=["data.aws_iam_policy_document.override.json"]),
        document("base", [glue]),
        document("override", redshift),
        edges=[(0, 1, "assume_role_policy"), (1, 2, "source_policy_documents"), (1, 3, "override_policy_documents")],
    )
    merged = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    # base's unnamed statement stays; the override replaces "Assume" from the document itself.
    assert principals(merged) == [("Service", "glue.amazonaws.com"), ("Service", "redshift.amazonaws.com")]


def test_policy_document_conditions_merge_by_operator_and_key():
    statement = {"actions": ["sts:AssumeRole"], "principals": {"type": "*", "identifiers": ["*"]},
                 "condition": [{"test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": ["o-1"]},
                               {"test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": ["o-2"]}]}
    graph = terraform_graph(
        role("data.aws_iam_policy_document.doc.json"),
        ("data", "data.aws_iam_policy_document", "aws_iam_policy_document.doc", {"statement": statement}),
        edges=[(0, 1, "assume_role_policy")],
    )
    [statement] = terraform_policy(graph, graph.vertex(0), "assume_role_policy").statements
    assert [(p.kind, p.value) for p in statement.principals] == [("*", "*")]
    assert [(c.operator, c.key, c.values) for c in statement.conditions] == [
        ("StringEquals", "aws:principalorgid", ("o-1", "o-2"))
    ]


def test_document_outside_the_scan_is_unresolved():
    graph = terraform_graph(role("data.aws_iam_policy_document.elsewhere.json"))
    result = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    assert isinstance(result, Unresolved) and not result.malformed


def test_self_including_document_is_malformed():
    graph = terraform_graph(
        role("data.aws_iam_policy_document.loop.json"),
        ("data", "data.aws_iam_policy_document", "aws_iam_policy_document.loop",
         {"source_policy_documents": ["data.aws_iam_policy_document.loop.json"]}),
        edges=[(0, 1, "assume_role_policy"), (1, 1, "source_policy_documents")],
    )
    result = terraform_policy(graph, graph.vertex(0), "assume_role_policy")
    assert isinstance(result, Unresolved) and result.malformed


def cloudformation_role(properties):
    return Vertex(0, {"resource_type": "AWS::IAM::Role", "source_": "CloudFormation", "config_": properties})


def test_cloudformation_reads_raw_properties_with_intrinsics():
    vertex = cloudformation_role({"AssumeRolePolicyDocument": {"Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole", "__startline__": 3,
        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}, "__file__": "t"}}]}})
    [(kind, value)] = principals(cloudformation_policy(vertex, "AssumeRolePolicyDocument"))
    assert kind == "AWS" and value.pattern == "arn:aws:iam::*:root"


def test_cloudformation_missing_or_conditional_document():
    assert cloudformation_policy(cloudformation_role({}), "AssumeRolePolicyDocument").malformed
    conditional = cloudformation_role({"AssumeRolePolicyDocument": {"Fn::If": ["C", TRUST, TRUST]}})
    result = cloudformation_policy(conditional, "AssumeRolePolicyDocument")
    assert isinstance(result, Unresolved) and not result.malformed and "Fn::If" in result.reason
