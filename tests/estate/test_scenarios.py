from spectrum_guard.estate.conditions import Assignment
from spectrum_guard.estate.scenarios import MAX_SCENARIOS, _combined, scenarios
from spectrum_guard.estate.graph import written_config

TEMPLATE = "/t.yaml"


def vertex(index, block_type, name, config, resource_type=None):
    attributes = {"source_": "CloudFormation", "file_path_": TEMPLATE, "block_type_": block_type,
                  "block_name_": name, "config_": config}
    if resource_type:
        attributes["resource_type"] = resource_type
    return index, attributes


VERTICES = [
    vertex(0, "resource", "AWS::S3::Bucket.Prod", {}, "AWS::S3::Bucket"),
    vertex(1, "resource", "AWS::S3::Bucket.Dev", {}, "AWS::S3::Bucket"),
    vertex(2, "resource", "AWS::S3::BucketPolicy.Policy",
           {"Bucket": {"Fn::If": ["IsProd", {"Ref": "Prod"}, {"Ref": "Dev"}]}}, "AWS::S3::BucketPolicy"),
    vertex(3, "resource", "AWS::S3::BucketPolicy.DevOnly", {"Bucket": {"Ref": "Dev"}}, "AWS::S3::BucketPolicy"),
    vertex(4, "conditions", "IsProd", {"Fn::Equals": [{"Ref": "Environment"}, "prod"]}),
    vertex(5, "conditions", "IsDev", {"Fn::Not": [{"Condition": "IsProd"}]}),
    vertex(6, "parameters", "Environment", {"AllowedValues": ["prod", "dev"]}),
]
EDGES = [(2, 0, "Bucket.Fn::If.1"), (2, 1, "Bucket.Fn::If.2"), (3, 5, "Condition"), (3, 1, "Bucket")]


def test_each_scenario_keeps_its_branch_its_edges_and_its_conditional_resources():
    found = scenarios(VERTICES, EDGES)
    assert not found.undecided
    assert found.conditions_of == {2: frozenset({"IsProd"}), 3: frozenset({"IsDev"})}
    by_description = {graph.scenario.describe(TEMPLATE): graph for graph in found.graphs}
    assert set(by_description) == {
        "IsDev is false, IsProd is true (for example Environment = 'prod')",
        "IsDev is true, IsProd is false (for example Environment = 'dev')",
    }
    prod = by_description["IsDev is false, IsProd is true (for example Environment = 'prod')"]
    policy = dict(prod.vertices)[2]
    assert written_config(policy) == {"Bucket": {"Ref": "Prod"}}
    assert 3 not in dict(prod.vertices)  # DevOnly's condition is false
    assert (2, 1, "Bucket.Fn::If.2") not in prod.edges and (2, 0, "Bucket.Fn::If.1") in prod.edges


def test_a_template_without_conditions_is_one_scenario_with_its_vertices_unchanged():
    plain = [vertex(0, "resource", "AWS::S3::Bucket.Lake", {"BucketName": "lake"}, "AWS::S3::Bucket")]
    [graph] = scenarios(plain, []).graphs
    assert graph.vertices == plain and graph.scenario.assignments == {}


def test_undefined_conditions_leave_the_template_undecided():
    broken = VERTICES[:4] + VERTICES[5:]  # IsProd is gone
    found = scenarios(broken, EDGES)
    assert "'IsProd' is not defined" in str(found.undecided[TEMPLATE])
    [graph] = found.graphs
    assert dict(graph.vertices)[2] is VERTICES[2][1]  # its Fn::If is left for resolve, which makes it unknown


def two(name):
    return [Assignment({name: True}, {}), Assignment({name: False}, {})]


def test_many_templates_take_their_kth_combinations_together():
    choices = {f"/t{n}.yaml": two(f"C{n}") for n in range(5)}  # 32 combinations in all
    combined = _combined(choices)
    assert 2 ** 5 > MAX_SCENARIOS and len(combined) == 2
    for path in choices:
        assert {scenario.assignments[path].values[f"C{path[2]}"] for scenario in combined} == {True, False}
    assert len(_combined({path: choices[path] for path in list(choices)[:3]})) == 8
