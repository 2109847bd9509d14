#!/usr/bin/env python3
"""Prints BENCHMARKS.md's JMH tables from the JSON files that run-all.sh writes.

Usage: python3 benchmarks/scripts/jmh-tables.py benchmarks/results/jmh-t1.json benchmarks/results/jmh-t8.json

Every ratio is floor time over library time, so 1.0 means the library costs what the raw client
operation costs, and 0.5 means it takes twice as long.
"""
import json
import sys

BACKENDS = ["memory", "redis", "postgresql", "mariadb", "h2", "dynamodb"]


def load(path):
    """Returns {(benchmark, backend): (score in us/op, error, bytes allocated per op)} and the thread count."""
    rows, threads = {}, None
    for result in json.load(open(path)):
        name = result["benchmark"].rsplit(".", 1)[1]
        backend = result.get("params", {}).get("backend", "redis")
        alloc = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        rows[(name, backend)] = (result["primaryMetric"]["score"], result["primaryMetric"]["scoreError"], alloc)
        threads = result["threads"]
    return rows, threads


def fmt(value):
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def main(paths):
    for path in paths:
        rows, threads = load(path)
        get = lambda name, backend: rows.get((name, backend), (None, None, None))[0]
        print(f"\n### {threads} thread{'s' if threads > 1 else ''}\n")
        print("| backend | claim µs | raw claim µs | ratio | claim+complete µs | raw claim+complete µs | ratio "
              "| duplicate (backend) µs | duplicate (cache) µs | batch of 100 µs | 100 claims ÷ batch |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for backend in BACKENDS:
            claim, raw = get("claim", backend), get("rawClaim", backend)
            full, raw_full = get("claimThenComplete", backend), get("rawClaimThenComplete", backend)
            batch = get("batchClaim100", backend)
            if claim is None:
                continue
            print(f"| {backend} | {fmt(claim)} | {fmt(raw)} | {raw / claim:.2f} | {fmt(full)} | {fmt(raw_full)} "
                  f"| {raw_full / full:.2f} | {fmt(get('duplicateFromBackend', backend))} "
                  f"| {fmt(get('duplicateFromCache', backend))} | {fmt(batch)} | {100 * claim / batch:.1f}x |")
        naive, duplicate = get("naiveDuplicate", "redis"), get("duplicateFromBackend", "redis")
        if naive and duplicate:
            print(f"\nRedis duplicate: naive SET NX + GET + GET {fmt(naive)} µs, Idem {fmt(duplicate)} µs: "
                  f"{naive / duplicate:.2f}x.")
        print("\nAllocation per operation (bytes, `-prof gc`):\n")
        names = ["claim", "rawClaim", "claimThenComplete", "duplicateFromBackend", "duplicateFromCache", "batchClaim100"]
        print("| backend | " + " | ".join(names) + " |")
        print("|---" * (len(names) + 1) + "|")
        for backend in BACKENDS:
            allocs = [rows.get((name, backend), (None, None, None))[2] for name in names]
            if any(a is not None for a in allocs):
                print(f"| {backend} | " + " | ".join(fmt(a) for a in allocs) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
