package dev.idem;

/**
 * A holder tried to complete, extend or release a claim it no longer holds: its lease expired
 * and another caller took the key over, or the record expired. Nothing was written. The action
 * may have run twice; size the lease above the action's longest run, or extend it while working.
 */
public class LeaseLostException extends IdempotencyException {

    private final long fencingToken;

    public LeaseLostException(String key, String operation, long fencingToken, String found) {
        super(key, operation + " rejected for key " + key + ": fencing token " + fencingToken
                + " no longer holds the key (found " + found + "). The lease expired before the action"
                + " finished; raise the lease or extend it while the action runs.");
        this.fencingToken = fencingToken;
    }

    /** The token the caller presented. */
    public long fencingToken() {
        return fencingToken;
    }
}
