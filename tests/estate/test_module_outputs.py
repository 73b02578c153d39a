"""Module output values Checkov copied into a policy: the quotes it adds, and the source read instead."""
import pytest

from spectrum_guard.estate.module_outputs import unquoted, written_references
from spectrum_guard.estate.values import MAX_DEPTH, ShapeError


def test_unquoted_removes_only_the_quotes_checkov_puts_around_a_copied_output():
    texts = frozenset({"aws_s3_bucket.this.arn"})
    document = {"Resource": ['"aws_s3_bucket.this.arn"/*', 'say "hello"', "aws_s3_bucket.this.arn"], "Sid": 1}
    assert unquoted(document, texts) == {
        "Resource": ["aws_s3_bucket.this.arn/*", 'say "hello"', "aws_s3_bucket.this.arn"],
        "Sid": 1,
    }


def test_unquoted_refuses_nesting_deeper_than_the_limit():
    deep: object = "x"
    for _ in range(MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(ShapeError):
        unquoted(deep, frozenset({"x"}))


def test_an_ambiguous_copy_is_replaced_by_the_source_string_that_names_a_module_output():
    ambiguous = frozenset({"aws_s3_bucket.this.arn"})
    rendered = {"Statement": [{"Resource": ['"aws_s3_bucket.this.arn"/*', "arn:aws:s3:::logs/*"]},
                              {"Resource": '"aws_s3_bucket.this.arn"/*', "Sid": "B"}]}
    written = {"Statement": [{"Resource": ["${module.raw.arn}/*", "arn:aws:s3:::${var.logs}/*"]},
                             {"Resource": "${module.curated.arn}/*", "Sid": "B"}]}
    assert written_references(rendered, written, ambiguous) == {
        "Statement": [{"Resource": ["${module.raw.arn}/*", "arn:aws:s3:::logs/*"]},
                      {"Resource": "${module.curated.arn}/*", "Sid": "B"}]
    }


def test_a_copy_whose_place_in_the_source_differs_or_names_no_output_is_kept():
    ambiguous = frozenset({"aws_s3_bucket.this.arn"})
    rendered = {"Resource": ['"aws_s3_bucket.this.arn"/*', '"aws_s3_bucket.this.arn"']}
    assert written_references(rendered, {"Resource": ["${module.raw.arn}/*"]}, ambiguous) == rendered
    assert written_references(rendered, {"Resource": ["${local.a}/*", "${local.b}"]}, ambiguous) == rendered
    assert written_references(rendered, "jsonencode(local.policy)", ambiguous) == rendered


def test_the_list_the_hcl_parser_wraps_each_value_in_is_unwrapped():
    ambiguous = frozenset({"aws_s3_bucket.this[0].arn"})
    rendered = [{"actions": ["s3:GetObject"], "resources": ["${aws_s3_bucket.this[0].arn}/*"], "sid": "Read"}]
    written = [{"actions": [["s3:GetObject"]], "resources": [["${module.raw.arn}/*"]], "sid": ["Read"]}]
    assert written_references(rendered, written, ambiguous) == [
        {"actions": ["s3:GetObject"], "resources": ["${module.raw.arn}/*"], "sid": "Read"}
    ]
