#!/usr/bin/env bash
# Collects one AWS account and one region into the snapshot layout whocan loads
# (see docs/generator.md). Read-only: it only calls get-*, list-* and describe-*
# operations. Requires the AWS CLI v2 and jq.
#
#   scripts/collect.sh --out DIR [--region REGION] [--profile NAME] [--org]
#
#   --out DIR        snapshot directory (created if needed); the account's files go
#                    to DIR/<account-id>/..., so several runs can fill one snapshot
#   --region REGION  region of API Gateway, Lambda and VPC endpoints (default: $AWS_REGION or us-east-1)
#   --profile NAME   AWS CLI profile to use
#   --org            also write DIR/organization.json (run with credentials of the
#                    management account or of a delegated administrator)
#
# Paginated list calls rely on the CLI's automatic pagination, which merges every
# page into one document (one authorization-details.json per account).
set -euo pipefail

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

out=''
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
profile=''
org=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    --out) out="${2:-}"; shift 2 ;;
    --region) region="${2:-}"; shift 2 ;;
    --profile) profile="${2:-}"; shift 2 ;;
    --org) org=true; shift ;;
    -h|--help) usage 0 ;;
    *) echo "collect.sh: unknown argument: $1" >&2; usage 2 ;;
  esac
done
if [ -z "$out" ] || [ -z "$region" ]; then
  echo "collect.sh: --out is required (and --region must not be empty)" >&2
  usage 2
fi
for tool in aws jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "collect.sh: $tool is required but not on PATH" >&2
    exit 2
  fi
done

export AWS_PAGER=''
common=(--output json)
if [ -n "$profile" ]; then
  common+=(--profile "$profile")
fi

# awscli ARGS...: the AWS CLI with the common options.
awscli() {
  aws "${common[@]}" "$@"
}

# save FILE ARGS...: runs the AWS CLI and writes its output to FILE (atomically).
save() {
  local file="$1"
  shift
  mkdir -p "$(dirname "$file")"
  awscli "$@" >"$file.partial"
  mv "$file.partial" "$file"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

account="$(awscli sts get-caller-identity --query Account --output text)"
base="$out/$account"
echo "collecting account $account, region $region into $base" >&2

# ---- IAM (global)
save "$base/iam/authorization-details.json" iam get-account-authorization-details

# ---- API Gateway REST APIs
rest="$base/$region/apigateway"
save "$rest/rest-apis.json" apigateway get-rest-apis --region "$region"
while IFS= read -r api; do
  [ -n "$api" ] || continue
  save "$rest/$api/resources.json" apigateway get-resources --region "$region" --rest-api-id "$api" --embed methods
  save "$rest/$api/stages.json" apigateway get-stages --region "$region" --rest-api-id "$api"
done < <(jq -r '.items[]?.id' "$rest/rest-apis.json")

# ---- API Gateway HTTP APIs (WebSocket APIs are listed in apis.json but not expanded)
http="$base/$region/apigatewayv2"
save "$http/apis.json" apigatewayv2 get-apis --region "$region"
while IFS= read -r api; do
  [ -n "$api" ] || continue
  save "$http/$api/routes.json" apigatewayv2 get-routes --region "$region" --api-id "$api"
  save "$http/$api/stages.json" apigatewayv2 get-stages --region "$region" --api-id "$api"
  save "$http/$api/integrations.json" apigatewayv2 get-integrations --region "$region" --api-id "$api"
done < <(jq -r '.Items[]? | select(.ProtocolType == "HTTP") | .ApiId' "$http/apis.json")

# ---- Lambda: functions and their resource policies (none → no file)
lambda="$base/$region/lambda"
save "$lambda/functions.json" lambda list-functions --region "$region"
mkdir -p "$lambda/policies"
while IFS= read -r fn; do
  [ -n "$fn" ] || continue
  if awscli lambda get-policy --region "$region" --function-name "$fn" >"$work/policy.json" 2>"$work/policy.err"; then
    mv "$work/policy.json" "$lambda/policies/$fn.json"
  elif grep -q 'ResourceNotFoundException' "$work/policy.err"; then
    : # the function has no resource policy
  else
    cat "$work/policy.err" >&2
    exit 1
  fi
done < <(jq -r '.Functions[]?.FunctionName' "$lambda/functions.json")

# ---- EC2: VPC endpoints (interface endpoints for execute-api are the way into
# private APIs; their policies must also allow each call)
save "$base/$region/ec2/vpc-endpoints.json" ec2 describe-vpc-endpoints --region "$region"

# ---- Organizations (optional): one organization.json assembled from several read calls
if [ "$org" = true ]; then
  echo "collecting the organization" >&2
  awscli organizations describe-organization >"$work/org.json"
  awscli organizations list-roots >"$work/roots.json"
  : >"$work/ous.ndjson"
  : >"$work/accounts.ndjson"
  : >"$work/policies.ndjson"
  parents=()
  while IFS= read -r id; do parents+=("$id"); done < <(jq -r '.Roots[].Id' "$work/roots.json")
  while [ "${#parents[@]}" -gt 0 ]; do
    parent="${parents[0]}"
    parents=("${parents[@]:1}")
    awscli organizations list-accounts-for-parent --parent-id "$parent" \
      | jq -c --arg p "$parent" '.Accounts[] + {ParentId: $p}' >>"$work/accounts.ndjson"
    awscli organizations list-organizational-units-for-parent --parent-id "$parent" >"$work/children.json"
    jq -c --arg p "$parent" '.OrganizationalUnits[] + {ParentId: $p}' "$work/children.json" >>"$work/ous.ndjson"
    while IFS= read -r id; do parents+=("$id"); done < <(jq -r '.OrganizationalUnits[].Id' "$work/children.json")
  done
  for type in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
    if ! awscli organizations list-policies --filter "$type" >"$work/list.json" 2>"$work/list.err"; then
      echo "collect.sh: could not list $type policies (policy type not enabled?):" >&2
      cat "$work/list.err" >&2
      continue
    fi
    while IFS= read -r pid; do
      awscli organizations describe-policy --policy-id "$pid" >"$work/policy.json"
      awscli organizations list-targets-for-policy --policy-id "$pid" >"$work/targets.json"
      jq -c --slurpfile t "$work/targets.json" '.Policy.PolicySummary + {Content: .Policy.Content, Targets: $t[0].Targets}' \
        "$work/policy.json" >>"$work/policies.ndjson"
    done < <(jq -r '.Policies[].Id' "$work/list.json")
  done
  jq -n \
    --slurpfile org "$work/org.json" \
    --slurpfile roots "$work/roots.json" \
    --slurpfile ous "$work/ous.ndjson" \
    --slurpfile accounts "$work/accounts.ndjson" \
    --slurpfile policies "$work/policies.ndjson" \
    '{Organization: $org[0].Organization, ManagementAccountId: $org[0].Organization.MasterAccountId,
      Roots: $roots[0].Roots, OrganizationalUnits: $ous, Accounts: $accounts, Policies: $policies}' \
    >"$out/organization.json.partial"
  mv "$out/organization.json.partial" "$out/organization.json"
fi

echo "done: $base" >&2
