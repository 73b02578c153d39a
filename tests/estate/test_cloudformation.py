import pytest

from spectrum_guard.estate.cloudformation import resolve, specialise, specialised_intrinsics
from spectrum_guard.estate.values import ShapeError
from spectrum_guard.policy import UnknownValue


def test_literals_pass_through_and_noise_goes():
    assert resolve({"Service": "redshift.amazonaws.com", "__startline__": 4}) == {"Service": "redshift.amazonaws.com"}


def test_intrinsics_annotated_by_json_templates_are_still_intrinsics():
    value = {"Ref": "AWS::AccountId", "__file__": "t.json", "__startline__": 3, "__endline__": 3}
    resolved = resolve(value)
    assert isinstance(resolved, UnknownValue) and (resolved.reason, resolved.pattern) == ("Ref AWS::AccountId", "*")


def test_no_value_disappears_from_lists_and_dicts():
    assert resolve(["a", {"Ref": "AWS::NoValue"}]) == ["a"]
    assert resolve({"A": {"Ref": "AWS::NoValue"}, "B": 1}) == {"B": 1}


def test_sub_with_only_literals_resolves():
    assert resolve({"Fn::Sub": ["arn:aws:iam::${Account}:root", {"Account": "111122223333"}]}) == (
        "arn:aws:iam::111122223333:root"
    )
    assert resolve({"Fn::Sub": "literal ${!Escaped}"}) == "literal ${Escaped}"


def test_sub_with_unknowns_keeps_a_pattern():
    resolved = resolve({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}"})
    assert isinstance(resolved, UnknownValue)
    # The partition reads the same everywhere a scan's policies are evaluated.
    assert resolved.pattern == "arn:aws:iam::*:role/*"


def test_join_of_literals_and_of_partial_values():
    assert resolve({"Fn::Join": ["", ["arn:aws:s3:::", "lake", "/*"]]}) == "arn:aws:s3:::lake/*"
    partial = resolve({"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}, "/*"]]})
    assert isinstance(partial, UnknownValue) and partial.pattern == "arn:aws:s3:::*/*"


def test_if_is_not_guessed():
    resolved = resolve({"Fn::If": ["Prod", "redshift.amazonaws.com", "glue.amazonaws.com"]})
    assert isinstance(resolved, UnknownValue) and resolved.pattern is None


def test_getatt_and_import_are_unknown_strings():
    for intrinsic in ({"Fn::GetAtt": ["Role", "Arn"]}, {"Fn::ImportValue": "shared-role-arn"}):
        resolved = resolve(intrinsic)
        assert isinstance(resolved, UnknownValue) and resolved.pattern == "*"


def test_malformed_intrinsics_are_unknown_not_errors():
    assert isinstance(resolve({"Fn::Sub": 42}), UnknownValue)
    assert isinstance(resolve({"Fn::Join": "not a list"}), UnknownValue)


def test_deep_nesting_is_a_shape_error():
    value = current = {}
    for _ in range(10_000):
        current["Fn::If"] = {}
        current = current["Fn::If"]
    with pytest.raises(ShapeError):
        resolve({"Properties": value})


def test_a_one_key_dict_with_a_non_string_key_is_no_intrinsic():
    # YAML makes `{1: x}` and `{true: x}` dicts with an int or bool key (found by tests/checkov/test_bad_input.py).
    assert resolve({"Principal": {1: "redshift.amazonaws.com"}}) == {"Principal": {1: "redshift.amazonaws.com"}}
    assert resolve([{True: False}]) == [{True: False}]


def test_select_picks_from_a_list_the_template_spells_out():
    assert resolve({"Fn::Select": [1, ["a", "b"]]}) == "b"
    assert resolve({"Fn::Select": ["0", {"Fn::Split": [",", "x,y"]}]}) == "x"
    for unknowable in ({"Fn::Select": [5, ["a"]]}, {"Fn::Select": [-1, ["a"]]}, {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                       {"Fn::Select": [0]}):
        resolved = resolve(unknowable)
        assert isinstance(resolved, UnknownValue) and resolved.pattern == "*"


def test_split_of_an_unknown_text_is_unknown():
    assert isinstance(resolve({"Fn::Split": [",", {"Ref": "Subnets"}]}), UnknownValue)


def test_parameters_stay_unknown_whatever_their_default():
    # The default is one deployment's value, not every deployment's.
    resolved = resolve({"Fn::Sub": "arn:aws:s3:::${BucketName}/*"}, scope="t.yaml")
    assert isinstance(resolved, UnknownValue) and resolved.pattern == "arn:aws:s3:::*/*"


def choose_prod(condition):
    return {"IsProd": True}.get(condition)


def test_specialise_takes_the_chosen_branch_and_leaves_undecided_ones():
    value = {"A": {"Fn::If": ["IsProd", "vpce-1", "vpce-2"]}, "B": {"Fn::If": ["Other", 1, 2]}}
    assert specialise(value, choose_prod, {}) == {"A": "vpce-1", "B": {"Fn::If": ["Other", 1, 2]}}


def test_specialise_drops_no_value_from_lists_and_dicts():
    value = {
        "Statement": [{"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, {"Sid": "Dev"}]}, {"Sid": "Always"}],
        "Condition": {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, {"StringEquals": {}}]},
    }
    assert specialise(value, choose_prod, {}) == {"Statement": [{"Sid": "Always"}]}


def test_specialise_looks_up_mappings_with_literal_keys_only():
    mappings = {"Endpoints": {"prod": {"Id": "vpce-1"}}}
    assert specialise({"Fn::FindInMap": ["Endpoints", "prod", "Id"]}, choose_prod, mappings) == "vpce-1"
    chosen_key = {"Fn::FindInMap": ["Endpoints", {"Fn::If": ["IsProd", "prod", "dev"]}, "Id"]}
    assert specialise(chosen_key, choose_prod, mappings) == "vpce-1"
    for unknowable in (["Endpoints", "dev", "Id"], ["Endpoints", {"Ref": "Environment"}, "Id"], ["Nowhere", "a", "b"]):
        specialised = specialise({"Fn::FindInMap": unknowable}, choose_prod, mappings)
        assert isinstance(resolve(specialised), UnknownValue)


def test_specialise_returns_what_it_does_not_change_as_it_is():
    # Scenarios keep a vertex's attributes when its config is the same object (scenarios.py).
    unchanged = {"Bucket": {"Ref": "Lake"}, "Statement": [{"Sid": "Always"}], "If": {"Fn::If": ["Other", 1, 2]}}
    assert specialise(unchanged, choose_prod, {}) is unchanged
    changed = {"Keep": {"Sid": "Always"}, "A": {"Fn::If": ["IsProd", "vpce-1", "vpce-2"]}}
    specialised = specialise(changed, choose_prod, {})
    assert specialised == {"Keep": {"Sid": "Always"}, "A": "vpce-1"}
    assert specialised is not changed and specialised["Keep"] is changed["Keep"]


def test_specialised_intrinsics_are_the_ones_specialise_acts_on():
    found = []
    value = {
        "A": {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, {"Fn::FindInMap": ["M", "a", "b"]}]},
        "B": [{"Ref": "Lake"}, {"Fn::Sub": "x"}, {"Fn::If": ["Broken"], "Other": 1}],
    }
    specialised_intrinsics(value, found)
    assert sorted(name for name, _ in found) == ["Fn::FindInMap", "Fn::If", "Ref"]
    assert ("Ref", "AWS::NoValue") in found
