import pytest

from spectrum_guard.estate.cloudformation import resolve, substitute_mappings
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


def test_find_in_map_with_literal_keys_reads_the_mappings():
    mappings = {"Settings": {"Routing": {"Enhanced": False, "Buckets": ["raw", "curated"]}}}
    value = {"A": {"Fn::FindInMap": ["Settings", "Routing", "Enhanced"]},
             "B": {"Fn::Join": [",", {"Fn::FindInMap": ["Settings", "Routing", "Buckets"]}]}}
    assert resolve(substitute_mappings(value, mappings)) == {"A": False, "B": "raw,curated"}


def test_find_in_map_that_the_template_cannot_answer_stays_unknown():
    mappings = {"Settings": {"Routing": {"Enhanced": True}}}
    for keys in (["Settings", {"Ref": "AWS::Region"}, "Enhanced"], ["Settings", "Routing", "Missing"],
                 ["Other", "Routing", "Enhanced"], ["Settings", "Routing"]):
        value = {"Fn::FindInMap": keys}
        assert substitute_mappings(value, mappings) is value
        assert isinstance(resolve(value), UnknownValue)


def test_substituting_nothing_returns_the_same_object():
    value = {"A": [{"Ref": "B"}, "c"], "D": {"E": 1}}
    assert substitute_mappings(value, {"Settings": {}}) is value
