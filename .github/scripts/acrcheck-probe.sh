#!/usr/bin/env bash
# Probes one Azure container registry and posts the signed report to the bot (CONTRACT.md §6).
# Run by .github/workflows/acrcheck-probe.yml from a checkout where `npm ci && npm run build` ran.
# Every input arrives as an environment variable; none is ever pasted into shell code.
#   REGISTRY      login server to probe (acrcheck refuses anything that is not an Azure registry host)
#   REGIONS       comma-separated regions whose data endpoints to probe; may be empty
#   JOB_ID        the bot's job id, posted back with the report
#   CALLBACK_URL  the bot's results route, <ACRCHECK_PUBLIC_URL>/api/runner-results
#   ACRCHECK_RUNNER_SECRET  the secret shared with the bot (repository secret)
#   ACRCHECK_PUBLIC_URL     the bot's public URL (repository variable): CALLBACK_URL must be its results route,
#                           so that nobody who may dispatch the workflow can make it post signed reports elsewhere
#   ACRCHECK_RUNNER_NAME    optional: the name reported (default github-<os>, e.g. github-linux)
# The probe also reads ACRCHECK_DNS_SERVERS, ACRCHECK_CA_FILE and ACRCHECK_PROBE_TIMEOUT_MS when set.
# When the probe refuses the job or a setting (exit 2), the reason is posted instead of a report, so that the
# bot's card says why at once rather than waiting for the run to time out.
set -euo pipefail

fail() {
  echo "acrcheck-probe: $*" >&2
  exit 1
}

[ -n "${REGISTRY:-}" ] || fail "the registry input is empty"
[ -n "${JOB_ID:-}" ] || fail "the job_id input is empty"
[ -n "${CALLBACK_URL:-}" ] || fail "the callback_url input is empty"
[ -n "${ACRCHECK_RUNNER_SECRET:-}" ] || fail "the repository secret ACRCHECK_RUNNER_SECRET is not set"

[ -n "${ACRCHECK_PUBLIC_URL:-}" ] ||
  fail "the repository variable ACRCHECK_PUBLIC_URL is not set: set it to the bot's public URL (the bot's own ACRCHECK_PUBLIC_URL)"
public="${ACRCHECK_PUBLIC_URL%/}"
if [ "$CALLBACK_URL" != "$public/api/runner-results" ]; then
  fail "callback_url is not $public/api/runner-results (the repository variable ACRCHECK_PUBLIC_URL); nothing was posted"
fi

os="${RUNNER_OS:-linux}"
name="${ACRCHECK_RUNNER_NAME:-github-${os,,}}"

args=(probe --json)
IFS=',' read -r -a regions <<< "${REGIONS:-}"
for region in "${regions[@]}"; do
  region="${region//[[:space:]]/}"
  if [ -n "$region" ]; then
    args+=(--region "$region")
  fi
done
# After `--` the registry input is only ever the registry, even when it starts with a dash.
args+=(-- "$REGISTRY")

report="$(mktemp)"
errors="$(mktemp)"
trap 'rm -f "$report" "$errors"' EXIT

# The checkout's own build (what `npx --no -- acrcheck` would run too, seconds slower).
status=0
node dist/cli.js "${args[@]}" > "$report" 2> "$errors" || status=$?
cat "$errors" >&2
if [ "$status" -ne 0 ]; then
  # The one-line reason acrcheck gives, without Node's own warnings.
  reason="$(grep -v -e '^(node:[0-9]*)' -e '^(Use `node --trace' "$errors" | tail -n 1 || true)"
  reason="${reason:-acrcheck probe stopped with exit status $status}"
  # `--flag=value`: a value that starts with '-' (a hostile registry input, an error text) stays a value.
  node dist/cli.js post-result "$CALLBACK_URL" --id="$JOB_ID" --runner="$name" --registry="$REGISTRY" \
    --error="$reason" || true
  echo "acrcheck-probe: no probe ran: $reason" >&2
  exit "$status"
fi
node dist/cli.js post-result "$CALLBACK_URL" --id "$JOB_ID" --runner "$name" --file "$report"
