package dev.idem.bench.cli;

/**
 * The figures of one concurrency level of {@code idem bench}. Latencies are in microseconds and
 * cover one {@code Idem.execute} call each, from the caller's side.
 *
 * @param threads          concurrent callers
 * @param seconds          the measured time, warmup excluded
 * @param operations       completed {@code execute} calls, errors included
 * @param executed         calls that ran the action
 * @param replayed         calls that returned a stored result
 * @param inFlight         calls that met a record still in progress and failed fast
 * @param errors           calls that failed with any other exception
 * @param storeCallsPerOp  store calls per operation, counted
 * @param roundTripsPerOp  network round trips per operation, derived from the store calls
 * @param poolSize         connections in the Redis, JDBC or HTTP pool; {@code 0} when the store has none
 * @param writeUnitsPerOp  DynamoDB write request units per operation, from the responses; {@code null} elsewhere
 * @param readUnitsPerOp   DynamoDB read request units per operation, from the responses; {@code null} elsewhere
 * @param costPerMillionOps estimated price of a million operations from the units and the prices given; {@code null}
 *                          when no price was given or the backend reports no units
 * @param firstError       the message of the first error, or {@code null}
 */
public record LevelResult(
        int threads,
        double seconds,
        long operations,
        long executed,
        long replayed,
        long inFlight,
        long errors,
        double p50Micros,
        double p90Micros,
        double p99Micros,
        double p999Micros,
        double maxMicros,
        double storeCallsPerOp,
        double roundTripsPerOp,
        int poolSize,
        Double writeUnitsPerOp,
        Double readUnitsPerOp,
        Double costPerMillionOps,
        String firstError) {

    /** Operations per second over the measured time. */
    public double throughput() {
        return seconds > 0 ? operations / seconds : 0;
    }
}
