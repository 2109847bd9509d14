#!/usr/bin/env bash
# Measures claimAll against a local dynalite on each batch driver and concurrency limit.
# Usage: scripts/measure-batches.sh [KEYS] [ROUNDS]
# Run it from the backend-dynamodb folder after 'mvn -pl backend-dynamodb -am test-compile'.
set -euo pipefail
cd "$(dirname "$0")/.."

keys="${1:-1000}"
rounds="${2:-3}"

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
echo "dynalite at $endpoint; $keys keys per batch, $rounds rounds; $(nproc) cores"

java -cp "$classpath" dev.idem.dynamodb.BatchMeasurement "$endpoint" "$keys" "$rounds" 2>/dev/null | grep -v "INFO\|WARN"
