# Added by scripts/regenerate-plans.sh to a copy of an example: plans are generated offline, with no
# credentials and no account lookup.
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "mock-access-key"
  secret_key                  = "mock-secret-key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
