#!/usr/bin/env bash
# Runs the measurements behind BENCHMARKS.md: the JMH benchmarks at 1 and 8 threads with the GC
# profiler, then `idem bench` on every backend with a CSV file and an SVG chart each. Results go
# to benchmarks/results/. Needs Redis, PostgreSQL and MariaDB on 127.0.0.1 (see README.md) and
# Node.js for dynalite. Takes about 25 minutes on a 2-core machine.
#
# Usage, from the repository root:
#   mvn -q -pl benchmarks -am package -DskipTests && bash benchmarks/scripts/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

results=benchmarks/results
mkdir -p "$results"
uptime | tee "$results/load-before.txt"

# JMH: the library beside its raw floor, one fork per benchmark, in one run per thread count.
for threads in 1 8; do
  java -jar benchmarks/target/benchmarks.jar -f 1 -wi 2 -w 2s -i 3 -r 3s -t "$threads" -prof gc \
    -rf json -rff "$results/jmh-t$threads.json" 2>&1 | tee "$results/jmh-t$threads.txt"
done

# dynalite for the DynamoDB capacity run; it exits when its standard input closes.
coproc DYNALITE { cd backend-dynamodb/dynalite && exec node start.js; }
read -r line <&"${DYNALITE[0]}"
dynamodb_url="${line#dynalite listening on }"

declare -A urls=(
  [memory]=""
  [redis]="redis://127.0.0.1:6379"
  [postgresql]="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
  [mariadb]="jdbc:mariadb://127.0.0.1:3306/test?user=root"
  [h2]="jdbc:h2:mem:idem;DB_CLOSE_DELAY=-1"
  [dynamodb]="$dynamodb_url"
)
for backend in memory redis postgresql mariadb h2 dynamodb; do
  url_option=()
  if [ -n "${urls[$backend]}" ]; then url_option=(--url "${urls[$backend]}"); fi
  java -jar benchmarks/target/idem.jar bench --backend "$backend" "${url_option[@]}" --table idem_bench \
    --threads 1,8,32 --duration 10s --warmup 3s --price-per-million-writes 0.625 --price-per-million-reads 0.125 \
    --output "$results/capacity-$backend.csv" --chart "$results/capacity-$backend.svg" \
    2>"$results/capacity-$backend.progress.txt" | tee "$results/capacity-$backend.txt"
done

kill "$DYNALITE_PID" 2>/dev/null || true
uptime | tee "$results/load-after.txt"
