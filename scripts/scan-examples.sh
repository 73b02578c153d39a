#!/usr/bin/env bash
# Set up (first run only) and scan the bundled Terraform, plan and CloudFormation examples
# with spectrum-guard's checks. Extra arguments go to Checkov (for example: -o json).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$root"
status=0
"$venv/bin/checkov" --directory terraform_examples --directory cloudformation_examples \
  --external-checks-dir checks \
  --framework terraform terraform_plan cloudformation \
  --check 'CKV_RSPEC_*' \
  --skip-download --compact "$@" || status=$?
# Checkov exits 1 when a check fails, which the examples are meant to show.
[ "$status" -le 1 ]
