"""spectrum-guard's results travel through Checkov's own machinery: outputs, filters, baselines, backends."""
import json
import shutil
import xml.etree.ElementTree as ElementTree

from checkov_runner import REPO, checkov, scan

from spectrum_guard import DOCS_BASE_URL

EXAMPLE = REPO / "terraform_examples" / "role_trust" / "cluster_shared_with_glue_failing"
CFN_EXAMPLES = REPO / "cloudformation_examples"


def test_sarif_is_valid_with_guideline_location_and_message(tmp_path):
    # Several frameworks make Checkov fork its runners: SARIF is then written by a process that never
    # loaded the checks directory.
    completed = checkov("-d", str(EXAMPLE), "--check", "CKV_RSPEC_5", "--output-file-path", str(tmp_path),
                        frameworks=("terraform", "terraform_plan", "cloudformation"), output="sarif")
    assert completed.returncode == 1, completed.stderr
    sarif = json.loads((tmp_path / "results_sarif.sarif").read_text())
    assert_valid_sarif(sarif)
    run = sarif["runs"][0]
    [rule] = [rule for rule in run["tool"]["driver"]["rules"] if rule["id"] == "CKV_RSPEC_5"]
    assert rule["helpUri"] == f"{DOCS_BASE_URL}CKV_RSPEC_5.md"
    [result] = [result for result in run["results"] if result["ruleId"] == "CKV_RSPEC_5"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("cluster_shared_with_glue_failing/main.tf")
    assert location["region"]["startLine"] == 4
    assert "glue.amazonaws.com" in result["message"]["text"] and "Fix:" in result["message"]["text"]


def assert_valid_sarif(sarif):
    """The SARIF 2.1.0 properties code-scanning uploads require (no maintained package ships the schema)."""
    assert sarif["version"] == "2.1.0" and "sarif-schema-2.1.0" in sarif["$schema"]
    for run in sarif["runs"]:
        driver = run["tool"]["driver"]
        assert driver["name"]
        rule_ids = [rule["id"] for rule in driver["rules"]]
        assert len(rule_ids) == len(set(rule_ids))
        for result in run["results"]:
            assert result["ruleId"] in rule_ids and driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
            assert isinstance(result["message"]["text"], str) and result["message"]["text"]
            for attachment in result.get("attachments", []):
                assert "artifactLocation" in attachment and isinstance(attachment.get("description", {}), dict)
            for location in result["locations"]:
                physical = location["physicalLocation"]
                assert physical["artifactLocation"]["uri"] and physical["region"]["startLine"] >= 1


def test_junit_reports_the_failure():
    completed = checkov("-d", str(EXAMPLE), "--check", "CKV_RSPEC_5", frameworks=("terraform",), output="junitxml")
    root = ElementTree.fromstring(completed.stdout)
    failures = [case for case in root.iter("testcase") if case.find("failure") is not None]
    assert len(failures) == 1 and "CKV_RSPEC_5" in failures[0].get("name")
    assert "aws_iam_role.lake_shared" in ElementTree.tostring(failures[0], encoding="unicode")


def test_cli_output_shows_details_severity_and_guide():
    completed = checkov("-d", str(EXAMPLE), "--check", "CKV_RSPEC_5", "--compact", frameworks=("terraform",),
                        output="cli")
    assert "FAILED for resource: aws_iam_role.lake_shared" in completed.stdout
    assert "Severity: HIGH" in completed.stdout
    assert "Details: aws_iam_role.lake_shared is attached to provisioned cluster" in completed.stdout
    assert f"Guide: {DOCS_BASE_URL}CKV_RSPEC_5.md" in completed.stdout


def test_skip_check_removes_the_check():
    assert scan("-d", str(EXAMPLE), "--skip-check", "CKV_RSPEC_5", frameworks=("terraform",)).results() == set()


def test_check_filter_selects_only_spectrum_checks():
    result = scan("-d", str(EXAMPLE), "--check", "CKV_RSPEC_*", frameworks=("terraform",))
    assert {finding.check_id for finding in result.findings} == {"CKV_RSPEC_5"}


def test_checks_run_beside_checkovs_built_ins():
    result = scan("-d", str(EXAMPLE), frameworks=("terraform",))
    check_ids = {finding.check_id for finding in result.findings}
    assert "CKV_RSPEC_5" in check_ids and any(check_id.startswith("CKV_AWS_") for check_id in check_ids)


def test_baseline_suppresses_known_failures(tmp_path):
    tree = tmp_path / "iac"
    shutil.copytree(EXAMPLE, tree)
    created = checkov("-d", str(tree), "--check", "CKV_RSPEC_5", "--create-baseline", frameworks=("terraform",))
    assert created.returncode == 1, created.stderr
    baseline = tree / ".checkov.baseline"
    assert "CKV_RSPEC_5" in baseline.read_text()
    again = scan("-d", str(tree), "--check", "CKV_RSPEC_5", "--baseline", str(baseline), frameworks=("terraform",))
    assert again.results() == set() and again.returncode == 0


def test_networkx_backend_gives_the_rustworkx_results(cloudformation_examples_scan, terraform_examples_scan):
    # The shared example scans ran on the default backend, rustworkx.
    environment = {"CHECKOV_GRAPH_FRAMEWORK": "NETWORKX"}
    terraform = scan("-d", str(REPO / "terraform_examples"), "--check", "CKV_RSPEC_*",
                     frameworks=("terraform", "terraform_plan"), env=environment)
    cloudformation = scan("-d", str(CFN_EXAMPLES), "--check", "CKV_RSPEC_*", frameworks=("cloudformation",),
                          env=environment)
    assert terraform.results() == terraform_examples_scan.results()
    assert cloudformation.results() == cloudformation_examples_scan.results()
    assert terraform.results() and cloudformation.results()


def test_thread_parallelism_gives_the_same_results(terraform_examples_scan):
    threaded = scan("-d", str(REPO / "terraform_examples"), "--check", "CKV_RSPEC_*",
                    frameworks=("terraform", "terraform_plan"), env={"CHECKOV_PARALLELIZATION_TYPE": "thread"})
    assert threaded.results() == terraform_examples_scan.results()
