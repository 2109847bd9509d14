#!/usr/bin/env bash
# Measures the SDK's sync HTTP clients against a local dynalite: start-up time in a fresh JVM
# and per-call latency. Usage: scripts/measure-http-clients.sh [RUNS_PER_CLIENT] [CALLS]
# Run it from the backend-dynamodb folder after 'mvn -pl backend-dynamodb -am test-compile'.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
calls="${2:-2000}"

if [ ! -d dynalite/node_modules/dynalite ]; then
  (cd dynalite && npm ci --ignore-scripts --no-audit --no-fund)
fi

classpath_file="$(mktemp)"
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >/dev/null
classpath="target/test-classes:target/classes:$(cat "$classpath_file")"
rm -f "$classpath_file"

work="$(mktemp -d)"
output="$work/dynalite.log"
mkfifo "$work/stdin"
# dynalite exits when its standard input closes, which happens when this script ends and fd 3 closes.
(cd dynalite && exec node start.js) < "$work/stdin" > "$output" &
server_pid=$!
exec 3> "$work/stdin"
trap 'exec 3>&-; kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$output" && break
  sleep 0.1
done
endpoint="$(sed -n 's/^dynalite listening on //p' "$output")"
echo "dynalite at $endpoint; $runs runs per client, $calls calls each; $(nproc) cores"

table="idem-measure"
java -cp "$classpath" dev.idem.dynamodb.HttpClientMeasurement setup "$endpoint" "$table" 2>/dev/null

for run in $(seq 1 "$runs"); do
  for client in apache apache5 url-connection crt; do
    java -cp "$classpath" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      dev.idem.dynamodb.HttpClientMeasurement measure "$client" "$endpoint" "$table" "$calls" 2>/dev/null
  done
done
