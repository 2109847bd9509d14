#!/usr/bin/env bash
# Measures how much Redis server time the store's Lua scripts take, beside a bare SET NX PX.
# It runs redis-benchmark with one client against each command and reads the server's own
# per-command statistics (INFO commandstats) before and after, so that round trips and client
# time are left out. Keys go to database 15 of the server, which the script empties at the end.
#
# Usage, from the repository root:
#   bash benchmarks/scripts/redis-script-cost.sh [host] [port]
set -euo pipefail
cd "$(dirname "$0")/../.."

host="${1:-127.0.0.1}"
port="${2:-6379}"
requests=30000
db=15
scripts=backend-redis/src/main/resources/dev/idem/redis/scripts
cli=(redis-cli -h "$host" -p "$port")

# Prints the total microseconds and calls that the server has counted for one command.
command_stats() {
  "${cli[@]}" INFO commandstats | tr -d '\r' | awk -F'[:=,]' -v name="cmdstat_$1" \
    '$1 == name { print $5, $3 }'
}

# Runs one command through redis-benchmark and prints the server time per call of $1.
measure() {
  local stat="$1" label="$2"
  shift 2
  read -r usec_before calls_before < <(command_stats "$stat" || true)
  redis-benchmark -h "$host" -p "$port" --dbnum "$db" -q -c 1 -n "$requests" -r 100000000 "$@" >/dev/null
  read -r usec_after calls_after < <(command_stats "$stat")
  awk -v label="$label" -v usec=$(( usec_after - ${usec_before:-0} )) -v calls=$(( calls_after - ${calls_before:-0} )) \
    'BEGIN { printf "%-44s %8.2f\n", label, usec / calls }'
}

load() {
  "${cli[@]}" SCRIPT LOAD "$1"
}

common="$(cat "$scripts/common.lua")"
empty_sha=$(load "return 1")
preamble_sha=$(load "$common
return 1")
claim_sha=$(load "$common
$(cat "$scripts/claim.lua")")

# The claim's arguments: lease ms, retention ms, no fingerprint, an owner, token retention ms.
claim_args=(30000 60000 '' '=worker' 86400000)

printf '%-44s %8s\n' "command" "us/call"
measure set "SET key value NX PX 60000 (new key)" SET "floor:__rand_int__" value NX PX 60000
measure evalsha "EVALSHA of 'return 1'" EVALSHA "$empty_sha" 0
measure evalsha "EVALSHA of the shared helpers only" EVALSHA "$preamble_sha" 0
measure evalsha "claim script, new key" EVALSHA "$claim_sha" 2 "claim:{__rand_int__}" "claim:{__rand_int__}:token" "${claim_args[@]}"
"${cli[@]}" -n "$db" EVALSHA "$claim_sha" 2 "claim:{held}" "claim:{held}:token" "${claim_args[@]}" >/dev/null
measure evalsha "claim script, key held by another claim" EVALSHA "$claim_sha" 2 "claim:{held}" "claim:{held}:token" "${claim_args[@]}"

"${cli[@]}" -n "$db" FLUSHDB >/dev/null
