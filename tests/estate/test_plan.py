"""Reading a plan's own JSON: references through module calls and outputs, and values computed at apply time."""
from __future__ import annotations

import json
from pathlib import Path

from spectrum_guard.estate.graph import ResourceGraph
from spectrum_guard.estate.plan import Plan, add_plan_links, computed_at_apply
from spectrum_guard.estate.references import References

# The root passes its bucket's ARN into module "lake"; module "lake" passes its own role's ARN out through an
# output that the root's cluster uses; module "lake" calls module "grants", which uses var.bucket_arn.
CONFIGURATION = {
    "root_module": {
        "resources": [
            {"address": "aws_s3_bucket.raw", "expressions": {"bucket": {"constant_value": "raw"}}},
            {"address": "aws_redshift_cluster.main",
             "expressions": {"iam_roles": {"references": ["module.lake.role_arn", "module.lake"]}}},
        ],
        "module_calls": {
            "lake": {
                "expressions": {"bucket_arn": {"references": ["aws_s3_bucket.raw.arn", "aws_s3_bucket.raw"]}},
                "module": {
                    "resources": [{"address": "aws_iam_role.spectrum", "expressions": {}}],
                    "outputs": {"role_arn": {"expression": {"references": ["aws_iam_role.spectrum.arn"]}}},
                    "module_calls": {
                        "grants": {
                            "expressions": {"bucket_arn": {"references": ["var.bucket_arn"]}},
                            "module": {"resources": [{
                                "address": "data.aws_iam_policy_document.read",
                                "expressions": {"statement": [{
                                    "actions": {"constant_value": ["s3:GetObject"]},
                                    "resources": {"references": ["var.bucket_arn", "local.suffix"]},
                                }]},
                            }]},
                        },
                    },
                },
            },
        },
    },
}
REPO = Path(__file__).resolve().parents[2]
DOCUMENT = "module.lake.module.grants.data.aws_iam_policy_document.read"


def _plan_graph(tmp_path, addresses, configuration=CONFIGURATION, attributes=None):
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps({
        "configuration": configuration,
        "resource_changes": [{"address": DOCUMENT, "change": {"after_unknown": {"statement": [{"resources": True}]}}}],
    }))
    vertices = [
        (index, {"__address__": address, "__change_actions__": ["create"], "file_path_": str(path),
                 "block_type_": "data" if ".data." in address else "resource", "resource_type": address.split(".")[-2],
                 **(attributes or {}).get(address, {})})
        for index, address in enumerate(addresses)
    ]
    return ResourceGraph(vertices, [])


def test_references_reach_resources_through_module_variables_and_outputs():
    plan = Plan({"configuration": CONFIGURATION})
    root, _ = plan.expressions("aws_redshift_cluster.main")
    assert plan.resources_reached(root, ["module.lake.role_arn"]) == {"module.lake.aws_iam_role.spectrum"}
    grants, expressions = plan.expressions(DOCUMENT + "[0]")
    references = expressions["statement"][0]["resources"]["references"]
    # A local is a dead end: the plan records neither its expression nor its references.
    assert plan.resources_reached(grants, references) == {"aws_s3_bucket.raw"}


def test_module_instances_are_found_by_their_address():
    plan = Plan({"configuration": CONFIGURATION})
    module, expressions = plan.expressions('module.lake["eu"].module.grants[0].data.aws_iam_policy_document.read[1]')
    assert module.prefix == "module.lake.module.grants." and "statement" in expressions
    assert plan.expressions("module.absent.aws_s3_bucket.raw") == (None, {})


def test_module_links_become_edges_labelled_with_the_attribute(tmp_path):
    graph = _plan_graph(tmp_path, ["aws_s3_bucket.raw", "aws_redshift_cluster.main",
                                   "module.lake.aws_iam_role.spectrum", DOCUMENT])
    add_plan_links(graph)
    [cluster, document] = graph.vertex(1), graph.vertex(3)
    assert [(label, target.address) for label, target in graph.edges_from(cluster)] == [
        ("iam_roles", "module.lake.aws_iam_role.spectrum")
    ]
    assert [(label, target.address) for label, target in graph.edges_from(document)] == [
        ("statement.resources", "aws_s3_bucket.raw")
    ]


def test_a_value_computed_at_apply_time_is_named_with_its_references(tmp_path):
    graph = _plan_graph(tmp_path, [DOCUMENT])
    document = graph.vertex(0)
    assert computed_at_apply(graph, document, ("statement", 0, "actions")) is None
    assert computed_at_apply(graph, document, ("statement", 0, "resources")) == (
        f"{DOCUMENT}'s statement.0.resources is computed at apply time from var.bucket_arn, local.suffix, "
        "and a plan does not record how"
    )
    # Around the unknown value: the whole statement is partly unknown.
    assert computed_at_apply(graph, document, ("statement",))


def test_a_policy_document_read_at_apply_time_keeps_its_unknown_resources_unknown():
    # Checkov shows `resources = [aws_s3_bucket.raw.arn, "${aws_s3_bucket.raw.arn}/*"]` as ["aws_s3_bucket.raw.arn"],
    # which would read as the bucket alone, without its objects.
    from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.graph_manager import TerraformGraphManager
    from checkov.terraform.plan_utils import create_definitions

    from spectrum_guard.checkov_adapter.graph import _vertices_and_edges
    from spectrum_guard.estate.documents import terraform_policy
    from spectrum_guard.policy import UnknownValue

    plan = REPO / "tests" / "fixtures" / "plan_parity" / "s3_access" / "vpce_restricted_lake_failing" / "tfplan.json"
    definitions, _ = create_definitions(None, [str(plan)], RunnerFilter(), {})
    manager = TerraformGraphManager(db_connector=RustworkxConnector())
    graph = ResourceGraph(*_vertices_and_edges(manager.save_graph(
        manager.build_graph_from_definitions(definitions, render_variables=False))))
    [bucket_policy] = graph.of_type("aws_s3_bucket_policy")
    # The estate knows the ARN of a bucket whose name is literal.
    known = {"aws_s3_bucket.raw.arn": "arn:aws:s3:::acme-analytics-raw"}
    [statement] = terraform_policy(graph, bucket_policy, "policy", known).statements
    assert statement.actions == ("s3:*",) and statement.effect == "Deny"
    [resources] = statement.resources
    assert isinstance(resources, UnknownValue)
    assert "aws_s3_bucket.raw.arn" in resources.reason


def test_each_value_of_a_for_each_over_a_resource_reaches_its_instances(tmp_path):
    # `for_each = aws_subnet.private` and `subnet_id = each.value.id`: the plan records the subnet only in the
    # for_each expression. Without the link every subnet would seem to use the VPC's main route table.
    configuration = {"root_module": {"resources": [
        {"address": "aws_subnet.private", "expressions": {}, "for_each_expression": {"references": ["local.zones"]}},
        {"address": "aws_route_table_association.private",
         "expressions": {"subnet_id": {"references": ["each.value.id", "each.value"]}},
         "for_each_expression": {"references": ["aws_subnet.private"]}},
    ]}}
    subnets = ['aws_subnet.private["a"]', 'aws_subnet.private["b"]']
    association = 'aws_route_table_association.private["a"]'
    graph = _plan_graph(tmp_path, [*subnets, association], configuration,
                        attributes={association: {"subnet_id": "each.value.id"}})
    add_plan_links(graph)
    links = References(graph).links(graph.vertex(2), "subnet_id", ("aws_subnet",))
    assert sorted(target.address for target in links.targets) == subnets
    assert links.unfollowed == []
