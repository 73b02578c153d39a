import pytest

from spectrum_guard.estate.values import (
    MAX_DEPTH,
    ShapeError,
    as_blocks,
    as_list,
    resolve_terraform,
    single,
    terraform_reference,
    without_noise,
)
from spectrum_guard.policy import UnknownValue


def test_noise_keys_are_removed_at_every_level():
    value = {
        "Statement": [{"Principal": {"Service": "redshift.amazonaws.com", "__startline__": 3, "__file__": "t.yaml"}}],
        "__endline__": 9,
        "start_line": 0,
    }
    assert without_noise(value) == {"Statement": [{"Principal": {"Service": "redshift.amazonaws.com"}}]}


def test_deep_nesting_is_a_shape_error_not_a_recursion_error():
    value = current = {}
    for _ in range(10_000):
        current["a"] = {}
        current = current["a"]
    with pytest.raises(ShapeError):
        without_noise(value)
    with pytest.raises(ShapeError):
        resolve_terraform(value)


def test_nesting_up_to_the_limit_is_fine():
    value = current = {}
    for _ in range(MAX_DEPTH - 1):
        current["a"] = {}
        current = current["a"]
    assert without_noise(value) == value


@pytest.mark.parametrize(
    "value, expected",
    [(None, []), ("a", ["a"]), (["a", "b"], ["a", "b"]), ([["a", "b"]], ["a", "b"]), ([["a"], "b"], ["a", "b"])],
)
def test_as_list_undoes_wrapping_and_collapsing(value, expected):
    assert as_list(value) == expected


def test_as_blocks_accepts_a_collapsed_block():
    assert as_blocks({"type": "Service"}) == [{"type": "Service"}]
    assert as_blocks([[{"type": "AWS"}], "noise"]) == [{"type": "AWS"}]


def test_single_unwraps_one_element_lists():
    assert single([["x"]]) == "x" and single(["x", "y"]) == ["x", "y"]


@pytest.mark.parametrize(
    "text, reference",
    [
        ("var.account_id", "var.account_id"),
        ("arn:aws:iam::var.account_id:root", "var.account_id"),
        ("aws_iam_role.spectrum.arn", "aws_iam_role.spectrum.arn"),
        ("data.aws_iam_policy_document.trust.json", "data.aws_iam_policy_document.trust.json"),
        ("module.network.vpc_id", "module.network.vpc_id"),
        ("random_pet.lake.id", "random_pet.lake.id"),
        ("arn:aws:s3:::random_id.suffix.hex/*", "random_id.suffix.hex"),
        ("time_static.created.unix", "time_static.created.unix"),
        ("raw_orders.v1.csv", None),
        ("var.settings.bucket/*", "var.settings.bucket"),
        ("arn:aws:iam::${var.account_id}:root", "${var.account_id}"),
        ("redshift.amazonaws.com", None),
        ("arn:aws:s3:::my.var.bucket/*", None),
        ("sts:AssumeRole", None),
    ],
)
def test_terraform_reference_detection(text, reference):
    assert terraform_reference(text) == reference


def test_unresolved_strings_become_unknown_with_a_pattern():
    resolved = resolve_terraform({"AWS": ["arn:aws:iam::var.account_id:root", "arn:aws:iam::111122223333:root"]})
    unknown, known = resolved["AWS"]
    assert isinstance(unknown, UnknownValue) and unknown.pattern == "arn:aws:iam::*:root"
    assert "var.account_id" in unknown.reason
    assert known == "arn:aws:iam::111122223333:root"
