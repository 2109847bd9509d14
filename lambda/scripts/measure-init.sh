#!/usr/bin/env bash
# Measures the cold-start time that idem-lambda adds, in fresh JVMs.
#
# Usage: bash lambda/scripts/measure-init.sh [runs]   (from the repository root; 10 runs by default)
#
# Each run starts a new JVM with InitTimeProbe and prints, in milliseconds: building Idem over the
# in-memory store with an SQS batch processor and an API Gateway wrapper, then the first and
# second SQS batch (10 messages) and API request. Three setups are measured:
#   without-jackson: the function's runtime classpath; fingerprints hash strings and bytes.
#   with-jackson: the same plus jackson-databind; Idem builds its default ObjectMapper.
#   with-jackson-shared-mapper: Idem reuses an ObjectMapper the function built before.
# No SLF4J provider is on any classpath, so SLF4J falls back to its no-op logger. A real
# function also pays for its own provider.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-10}"

mvn -q -B -pl lambda -am test-compile dependency:build-classpath \
  -DincludeScope=compile -Dmdep.outputFile=target/runtime-classpath.txt
lean="lambda/target/test-classes:lambda/target/classes:$(cat lambda/target/runtime-classpath.txt)"
jackson="$lean:$(cat core/target/runtime-classpath.txt)"

measure() {
  local name="$1" classpath="$2" mode="${3:-}"
  echo "== $name ($runs fresh JVMs, $(java -version 2>&1 | head -n 1))"
  for _ in $(seq 1 "$runs"); do
    java -cp "$classpath" dev.idem.lambda.InitTimeProbe $mode 2>/dev/null
  done | tee "lambda/target/init-$name.txt"
  # Median of each column: sort the values of one field and pick the middle one.
  for field in build_idem build_handlers first_sqs first_api second_sqs second_api; do
    sed -n "s/.*$field=\([0-9.]*\).*/\1/p" "lambda/target/init-$name.txt" | sort -n \
      | awk -v name="$field" '{ v[NR] = $1 } END { printf "median %s: %.1f ms (min %.1f, max %.1f)\n", name, v[int((NR + 1) / 2)], v[1], v[NR] }'
  done
}

measure without-jackson "$lean"
measure with-jackson "$jackson"
measure with-jackson-shared-mapper "$jackson" shared-mapper
