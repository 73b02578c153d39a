# Added by scripts/regenerate-plans.sh: the provider installed offline, whatever version the example asks for.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}
