#!/usr/bin/env bash
# Regenerate the committed Terraform plans (`terraform show -json`), offline:
# - terraform_examples/plan/*/tfplan.json, from the .tf beside each (and its terraform.tfstate, if any: a plan
#   against existing state, made without refreshing it);
# - tests/fixtures/plan_parity/<group>/<example>/tfplan.json, from a copy of terraform_examples/<group>/<example>
#   with an offline provider added, for the HCL/plan parity test (tests/checkov/test_plan_parity.py).
#   A terraform.tfvars beside the committed plan gives the example's variables that have no default; a file
#   `unplannable` there instead of a plan says why the example cannot be planned offline, and it is skipped.
#   PARITY_PLANS_DIR writes these plans elsewhere (the test that checks the committed ones are current).
# Needs terraform (1.11) and the AWS provider 5.100.0 in a local plugin directory (default /opt/tf-plugins).
# Give example directories (terraform_examples/<group>/<example>) to regenerate only their parity plans.
set -euo pipefail
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
root="$(cd "$(dirname "$0")/.." && pwd)"

# Sorted keys, sorted relevant_attributes (Terraform lists them in any order) and indentation keep the
# committed plan diffable.
plan_json() {
  terraform init -input=false -backend=false -plugin-dir="$plugin_dir" >/dev/null
  terraform plan -input=false -refresh=false -lock=false -out=tfplan.binary >/dev/null
  terraform show -json tfplan.binary | python3 -c '
import json, sys
plan = json.load(sys.stdin)
plan.get("relevant_attributes", []).sort(key=lambda item: json.dumps(item, sort_keys=True))
json.dump(plan, sys.stdout, indent=1, sort_keys=True)'
}

parity_plan() {
  local example="$1" name target variables
  name="${example#"$root"/terraform_examples/}"
  name="${name%/}"
  target="${PARITY_PLANS_DIR:-$root/tests/fixtures/plan_parity}/$name"
  variables="$root/tests/fixtures/plan_parity/$name/terraform.tfvars"
  if [ -f "$root/tests/fixtures/plan_parity/$name/unplannable" ]; then
    echo "not planned: $name: $(cat "$root/tests/fixtures/plan_parity/$name/unplannable")"
    return
  fi
  echo "parity plan: $name"
  # Global, for the trap: a failed plan leaves neither its work directory nor an empty committed plan.
  work="$(mktemp -d)"
  plan="$(mktemp)"
  trap 'rm -rf "$work" "$plan"' EXIT
  cp -r "$example"/. "$work"
  cp "$root"/scripts/plan-provider/*.tf "$work"
  if [ -f "$variables" ]; then cp "$variables" "$work"; fi
  (cd "$work" && plan_json) > "$plan"
  mkdir -p "$target"
  mv "$plan" "$target/tfplan.json"
  rm -rf "$work"
  trap - EXIT
}

if [ "$#" -gt 0 ]; then
  for example in "$@"; do parity_plan "$(cd "$example" && pwd)"; done
  exit 0
fi

for dir in "$root"/terraform_examples/plan/*/; do
  echo "plan: $dir"
  (
    cd "$dir"
    trap 'rm -rf .terraform .terraform.lock.hcl tfplan.binary' EXIT
    plan_json > tfplan.json
  )
done

for example in "$root"/terraform_examples/*/*/; do
  case "$example" in "$root"/terraform_examples/plan/*) continue ;; esac
  parity_plan "${example%/}"
done
