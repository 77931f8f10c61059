#!/usr/bin/env bash
# Probes one Azure container registry and posts the signed report to the bot (CONTRACT.md §6).
# Run by .github/workflows/acrcheck-probe.yml from a checkout where `npm ci && npm run build` ran.
# Every input arrives as an environment variable; none is ever pasted into shell code.
#   REGISTRY      login server to probe (acrcheck refuses anything that is not an Azure registry host)
#   REGIONS       comma-separated regions whose data endpoints to probe; may be empty
#   JOB_ID        the bot's job id, posted back with the report
#   CALLBACK_URL  the bot's results route, <ACRCHECK_PUBLIC_URL>/api/runner-results
#   ACRCHECK_RUNNER_SECRET  the secret shared with the bot (repository secret)
#   ACRCHECK_RUNNER_NAME    optional: the name reported (default github-<os>, e.g. github-linux)
#   ACRCHECK_PUBLIC_URL     optional: when set, CALLBACK_URL must be its results route
# The probe also reads ACRCHECK_DNS_SERVERS, ACRCHECK_CA_FILE and ACRCHECK_PROBE_TIMEOUT_MS when set.
set -euo pipefail

fail() {
  echo "acrcheck-probe: $*" >&2
  exit 1
}

[ -n "${REGISTRY:-}" ] || fail "the registry input is empty"
[ -n "${JOB_ID:-}" ] || fail "the job_id input is empty"
[ -n "${CALLBACK_URL:-}" ] || fail "the callback_url input is empty"
[ -n "${ACRCHECK_RUNNER_SECRET:-}" ] || fail "the repository secret ACRCHECK_RUNNER_SECRET is not set"

if [ -n "${ACRCHECK_PUBLIC_URL:-}" ] && [ "$CALLBACK_URL" != "${ACRCHECK_PUBLIC_URL%/}/api/runner-results" ]; then
  fail "callback_url is not ${ACRCHECK_PUBLIC_URL%/}/api/runner-results (the repository variable ACRCHECK_PUBLIC_URL)"
fi

os="${RUNNER_OS:-linux}"
name="${ACRCHECK_RUNNER_NAME:-github-${os,,}}"

args=(probe "$REGISTRY" --json)
IFS=',' read -r -a regions <<< "${REGIONS:-}"
for region in "${regions[@]}"; do
  region="${region//[[:space:]]/}"
  if [ -n "$region" ]; then
    args+=(--region "$region")
  fi
done

report="$(mktemp)"
trap 'rm -f "$report"' EXIT

# The checkout's own build (what `npx --no -- acrcheck` would run too, seconds slower).
node dist/cli.js "${args[@]}" > "$report"
node dist/cli.js post-result "$CALLBACK_URL" --id "$JOB_ID" --runner "$name" --file "$report"
