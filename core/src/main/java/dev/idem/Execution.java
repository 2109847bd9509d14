package dev.idem;

/**
 * The value an idempotent call produced, and whether it was a replay.
 *
 * @param value        the action's result, decoded for a replay; may be {@code null}
 * @param source       whether the action ran in this call or a stored result was replayed
 * @param key          the full storage key
 * @param fencingToken the token of the claim that ran the action, or {@code 0} when unknown
 * @param <T>          the result type
 */
public record Execution<T>(T value, Source source, String key, long fencingToken) {

    /** Tells whether this call returned a stored result instead of running the action. */
    public boolean isReplay() {
        return source == Source.REPLAYED || source == Source.REPLAYED_FROM_CACHE;
    }

    @Override
    public String toString() {
        // The value is left out on purpose: results may hold personal data.
        return "Execution[source=" + source + ", key=" + key + ", fencingToken=" + fencingToken + "]";
    }
}
