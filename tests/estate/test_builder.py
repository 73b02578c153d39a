import logging

from spectrum_guard.estate import ReaderKind, ResourceGraph, Unresolved, build_estate
from spectrum_guard.estate import builder

TRUST = {
    "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "redshift.amazonaws.com"}}
}


def graph(vertices, edges=()):
    return ResourceGraph(
        [(index, {"block_type_": "resource", "resource_type": kind, "block_name_": name, "source_": source,
                  "file_path_": "main.tf", **attributes})
         for index, (kind, name, source, attributes) in enumerate(vertices)],
        edges,
    )


def tf_role(name, role_name=None):
    return (
        "aws_iam_role", f"aws_iam_role.{name}", "Terraform", {"assume_role_policy": TRUST, "name": role_name or name}
    )


def role_names(reader):
    return sorted(role.resource.address for role in reader.roles)


def test_terraform_attachments_by_edge_plan_reference_literal_arn_and_cluster_iam_roles():
    estate = build_estate(graph(
        [
            tf_role("by_edge"),
            tf_role("by_plan_reference"),
            tf_role("by_literal_arn", "literal-role"),
            tf_role("by_cluster_iam_roles"),
            tf_role("unattached"),
            ("aws_redshift_cluster", "aws_redshift_cluster.main", "Terraform",
             {"cluster_identifier": "main", "iam_roles": ["aws_iam_role.by_edge.arn",
                                                          "arn:aws:iam::111122223333:role/team/literal-role"]}),
            ("aws_redshift_cluster_iam_roles", "aws_redshift_cluster_iam_roles.extra", "Terraform",
             {"cluster_identifier": "main", "iam_role_arns": ["aws_iam_role.by_cluster_iam_roles.arn"]}),
        ],
        [(5, 0, "iam_roles"), (5, 1, "references_"), (6, 3, "iam_role_arns")],
    ))
    [cluster] = estate.readers
    assert cluster.kind is ReaderKind.PROVISIONED
    # The aws_redshift_cluster_iam_roles resource names the cluster by literal identifier, with no edge.
    assert role_names(cluster) == [
        "aws_iam_role.by_cluster_iam_roles", "aws_iam_role.by_edge", "aws_iam_role.by_literal_arn",
        "aws_iam_role.by_plan_reference",
    ]
    unattached = next(role for role in estate.roles if role.resource.address == "aws_iam_role.unattached")
    assert estate.readers_of(unattached) == []
    by_edge = next(role for role in estate.roles if role.resource.address == "aws_iam_role.by_edge")
    assert estate.readers_of(by_edge) == [cluster]


def test_edges_with_other_labels_do_not_attach_roles():
    estate = build_estate(graph(
        [tf_role("tagged"), ("aws_redshift_cluster", "aws_redshift_cluster.main", "Terraform", {})],
        [(1, 0, "tags.owner")],
    ))
    assert estate.readers[0].roles == []


def test_serverless_namespace_and_workgroups():
    estate = build_estate(graph(
        [
            tf_role("lake"),
            ("aws_redshiftserverless_namespace", "aws_redshiftserverless_namespace.lake", "Terraform",
             {"namespace_name": "lake", "iam_roles": ["aws_iam_role.lake.arn"]}),
            ("aws_redshiftserverless_workgroup", "aws_redshiftserverless_workgroup.by_edge", "Terraform",
             {"namespace_name": "aws_redshiftserverless_namespace.lake.namespace_name"}),
            ("aws_redshiftserverless_workgroup", "aws_redshiftserverless_workgroup.by_name", "Terraform",
             {"namespace_name": "lake"}),
            ("aws_redshiftserverless_workgroup", "aws_redshiftserverless_workgroup.elsewhere", "Terraform",
             {"namespace_name": "other"}),
        ],
        [(1, 0, "iam_roles"), (2, 1, "namespace_name")],
    ))
    [namespace] = estate.readers
    assert namespace.kind is ReaderKind.SERVERLESS and role_names(namespace) == ["aws_iam_role.lake"]
    assert sorted(w.resource.address for w in namespace.workgroups) == [
        "aws_redshiftserverless_workgroup.by_edge", "aws_redshiftserverless_workgroup.by_name"]


def test_cloudformation_attachments_through_either_fn_if_branch_and_literal_names():
    estate = build_estate(graph(
        [
            ("AWS::IAM::Role", "AWS::IAM::Role.Spectrum", "CloudFormation",
             {"config_": {"AssumeRolePolicyDocument": TRUST}}),
            ("AWS::IAM::Role", "AWS::IAM::Role.Named", "CloudFormation",
             {"config_": {"RoleName": "named-role", "AssumeRolePolicyDocument": TRUST}}),
            ("AWS::Redshift::Cluster", "AWS::Redshift::Cluster.Main", "CloudFormation",
             {"config_": {"IamRoles": [{"Fn::If": ["Prod", {"Fn::GetAtt": ["Spectrum", "Arn"]},
                                                   {"Ref": "AWS::NoValue"}]},
                                       "arn:aws:iam::111122223333:role/named-role"]}}),
        ],
        [(2, 0, "IamRoles.0.Fn::If.1")],
    ))
    assert role_names(estate.readers[0]) == ["AWS::IAM::Role.Named", "AWS::IAM::Role.Spectrum"]


def test_a_crash_while_reading_one_role_leaves_it_unresolved_and_is_logged(monkeypatch, caplog):
    real = builder.terraform_policy

    def crash_on_broken(graph, vertex, attribute):
        if vertex.address == "aws_iam_role.broken":
            raise KeyError("boom")
        return real(graph, vertex, attribute)

    monkeypatch.setattr(builder, "terraform_policy", crash_on_broken)
    with caplog.at_level(logging.ERROR):
        estate = build_estate(graph([tf_role("broken"), tf_role("fine")]))
    broken, fine = estate.roles
    assert isinstance(broken.trust_policy, Unresolved) and broken.trust_policy.malformed
    assert not isinstance(fine.trust_policy, Unresolved)
    assert "aws_iam_role.broken" in caplog.text
