import pytest

from spectrum_guard.estate.conditions import MAX_ASSIGNMENTS, Template, Undecided, reachable_assignments


def reachable(conditions, relevant, parameters=None, mappings=None):
    template = Template(parameters or {}, conditions, mappings or {})
    return [dict(assignment.values) for assignment in reachable_assignments(template, relevant)]


def equals_environment(value):
    return {"Fn::Equals": [{"Ref": "Environment"}, value]}


def test_a_parameter_without_allowed_values_takes_its_literals_and_any_other_value():
    conditions = {"IsProd": equals_environment("prod")}
    assert reachable(conditions, ["IsProd"], {"Environment": {"Type": "String", "Default": "prod"}}) == [
        {"IsProd": True},
        {"IsProd": False},
    ]


def test_allowed_values_bound_what_is_reachable():
    conditions = {"IsProd": equals_environment("prod")}
    assert reachable(conditions, ["IsProd"], {"Environment": {"AllowedValues": ["prod"]}}) == [{"IsProd": True}]
    assert reachable(conditions, ["IsProd"], {"Environment": {"AllowedValues": ["dev", "test"]}}) == [
        {"IsProd": False}
    ]


def test_conditions_that_contradict_each_other_are_never_both_true():
    conditions = {
        "IsProd": equals_environment("prod"),
        "IsDev": equals_environment("dev"),
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsDev"}]},
        "Either": {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Not": [{"Condition": "IsProd"}]}]},
    }
    assert reachable(conditions, ["Both"], {"Environment": {}}) == [{"Both": False}]
    assert reachable(conditions, ["Either"], {"Environment": {}}) == [{"Either": True}]
    assert {
        tuple(sorted(found.items())) for found in reachable(conditions, ["IsProd", "IsDev"], {"Environment": {}})
    } == {
        (("IsDev", False), ("IsProd", True)),
        (("IsDev", True), ("IsProd", False)),
        (("IsDev", False), ("IsProd", False)),
    }


def test_yaml_booleans_and_numbers_compare_as_strings():
    conditions = {"On": {"Fn::Equals": [{"Ref": "Flag"}, True]}}
    assert reachable(conditions, ["On"], {"Flag": {"AllowedValues": ["true"]}}) == [{"On": True}]
    assert reachable({"One": {"Fn::Equals": [1, "1"]}}, ["One"]) == [{"One": True}]


def test_pseudo_parameters_take_any_value():
    conditions = {"InChina": {"Fn::Equals": [{"Ref": "AWS::Partition"}, "aws-cn"]}}
    assert reachable(conditions, ["InChina"]) == [{"InChina": True}, {"InChina": False}]


def test_two_parameters_may_be_equal_or_not():
    conditions = {"Same": {"Fn::Equals": [{"Ref": "A"}, {"Ref": "B"}]}}
    assert sorted(found["Same"] for found in reachable(conditions, ["Same"], {"A": {}, "B": {}})) == [False, True]


def test_an_operand_the_template_cannot_tell_is_free():
    conditions = {"Imported": {"Fn::Equals": [{"Fn::ImportValue": "shared-env"}, "prod"]}}
    assert reachable(conditions, ["Imported"]) == [{"Imported": True}, {"Imported": False}]


def test_find_in_map_is_looked_up_and_a_missing_entry_does_not_deploy():
    mappings = {"Settings": {"prod": {"Vpce": "true"}, "dev": {"Vpce": "false"}}}
    conditions = {"UseVpce": {"Fn::Equals": [{"Fn::FindInMap": ["Settings", {"Ref": "Environment"}, "Vpce"]}, "true"]}}
    assert reachable(conditions, ["UseVpce"], {"Environment": {"AllowedValues": ["prod", "dev"]}}, mappings) == [
        {"UseVpce": True},
        {"UseVpce": False},
    ]
    # "test" has no entry: CloudFormation fails that deployment, so only prod's value is reachable.
    assert reachable(conditions, ["UseVpce"], {"Environment": {"AllowedValues": ["prod", "test"]}}, mappings) == [
        {"UseVpce": True}
    ]
    with pytest.raises(Undecided, match="no parameter values deploy it"):
        reachable(conditions, ["UseVpce"], {"Environment": {"AllowedValues": ["test"]}}, mappings)


@pytest.mark.parametrize("conditions, relevant, message", [
    ({"A": {"Condition": "B"}, "B": {"Fn::Not": [{"Condition": "A"}]}}, ["A"], "circular: A -> B -> A"),
    ({"A": {"Condition": "A"}}, ["A"], "circular: A -> A"),
    ({}, ["Missing"], "'Missing' is not defined"),
    ({"A": {"Fn::Equals": [{"Ref": "Nowhere"}, "x"]}}, ["A"], "Nowhere, which is not a parameter"),
    ({"A": {"Fn::If": ["B", True, False]}}, ["A"], "Fn::If, which is not a condition function"),
    ({"A": "true"}, ["A"], "not a condition function"),
    ({"A": {"Fn::Not": []}}, ["A"], "malformed Fn::Not"),
    ({"A": {"Fn::Equals": ["x"]}}, ["A"], "malformed Fn::Equals"),
])
def test_what_cloudformation_rejects_is_undecided_and_malformed(conditions, relevant, message):
    with pytest.raises(Undecided, match=message) as raised:
        reachable(conditions, relevant, {"Environment": {}})
    assert raised.value.malformed


def test_too_many_combinations_are_undecided_not_malformed():
    conditions = {f"C{n}": equals_environment(f"env{n}") for n in range(MAX_ASSIGNMENTS + 1)}
    conditions.update({f"D{n}": {"Fn::Equals": [{"Ref": f"P{n}"}, "x"]} for n in range(13)})
    with pytest.raises(Undecided, match="more than 4096") as raised:
        reachable(conditions, [f"D{n}" for n in range(13)], {f"P{n}": {} for n in range(13)})
    assert not raised.value.malformed
    # Each environment makes one condition true: one more combination than the bound allows.
    with pytest.raises(Undecided, match=f"more than {MAX_ASSIGNMENTS} combinations"):
        reachable(conditions, [f"C{n}" for n in range(MAX_ASSIGNMENTS + 1)], {"Environment": {}})


def test_the_witness_names_parameter_values_that_reach_the_assignment():
    template = Template({"Environment": {"AllowedValues": ["prod", "dev"]}}, {"IsProd": equals_environment("prod")}, {})
    descriptions = [assignment.describe() for assignment in reachable_assignments(template, ["IsProd"])]
    assert descriptions == [
        "IsProd is true (for example Environment = 'prod')",
        "IsProd is false (for example Environment = 'dev')",
    ]
