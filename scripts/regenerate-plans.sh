#!/usr/bin/env bash
# Regenerate every terraform_examples/plan/*/tfplan.json from the .tf beside it, offline.
# Needs terraform (1.11) and the AWS provider 5.100.0 in a local plugin directory (default /opt/tf-plugins).
set -euo pipefail
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
root="$(cd "$(dirname "$0")/.." && pwd)"
for dir in "$root"/terraform_examples/plan/*/; do
  echo "plan: $dir"
  (
    cd "$dir"
    trap 'rm -rf .terraform .terraform.lock.hcl tfplan.binary' EXIT
    terraform init -input=false -backend=false -plugin-dir="$plugin_dir" >/dev/null
    terraform plan -input=false -refresh=false -lock=false -out=tfplan.binary >/dev/null
    # Sorted keys and indentation keep the committed plan diffable.
    terraform show -json tfplan.binary | python3 -c 'import json,sys; json.dump(json.load(sys.stdin), sys.stdout, indent=1, sort_keys=True)' > tfplan.json
  )
done
