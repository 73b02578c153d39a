#!/usr/bin/env bash
# Set up (first run only) and scan the bundled Terraform, plan and CloudFormation examples
# with spectrum-guard's checks. Extra arguments go to Checkov (for example: -o json).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$root"
status=0
# One directory per run: given several, Checkov prints its reports again for each.
for examples in terraform_examples cloudformation_examples; do
  "$venv/bin/checkov" --directory "$examples" \
    --external-checks-dir checks \
    --framework terraform terraform_plan cloudformation \
    --check 'CKV_RSPEC_*' \
    --skip-download --compact "$@" || status=$(( $? > status ? $? : status ))
done
# Checkov exits 1 when a check fails, which the examples are meant to show.
[ "$status" -le 1 ]
