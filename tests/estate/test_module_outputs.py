"""The quotes Checkov puts around a module output's value copied into a longer string."""
import pytest

from spectrum_guard.estate.module_outputs import unquoted
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
