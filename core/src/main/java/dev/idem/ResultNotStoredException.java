package dev.idem;

/**
 * A duplicate of a completed action whose result was not stored (too large or not encodable
 * when it completed). The action ran once and will not run again for this key until the record
 * expires; only its result cannot be replayed.
 */
public class ResultNotStoredException extends IdempotencyException {

    public ResultNotStoredException(String key, String reason) {
        super(key, "Key " + key + " completed, but its result was not stored (" + reason
                + "), so it cannot be replayed. The action will not run again until the record expires.");
    }
}
