"""The catalogue as Checkov sees it: ids, categories and guidelines of the registered checks."""
from checkov.common.models.enums import CheckCategories

from spectrum_guard import DOCS_BASE_URL
from spectrum_guard.checkov_adapter.graph_check import SpectrumGraphCheck
from spectrum_guard.rules import ALL_RULES


def test_ids_are_the_shipped_catalogue():
    assert [rule.id for rule in ALL_RULES] == [f"CKV_RSPEC_{n}" for n in range(1, 10)]


def test_each_check_carries_a_checkov_category_and_its_own_guideline():
    checks = {rule.id: SpectrumGraphCheck(rule) for rule in ALL_RULES}
    assert {check_id: check.category for check_id, check in checks.items()} == {
        **{f"CKV_RSPEC_{n}": "IAM" for n in range(1, 6)},
        "CKV_RSPEC_6": "NETWORKING",
        "CKV_RSPEC_7": "NETWORKING",
        "CKV_RSPEC_8": "LOGGING",
        "CKV_RSPEC_9": "LOGGING",
    }
    assert all(check.category in CheckCategories.__members__ for check in checks.values())
    assert all(check.guideline == f"{DOCS_BASE_URL}{check.id}.md" for check in checks.values())
