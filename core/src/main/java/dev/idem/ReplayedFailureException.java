package dev.idem;

/**
 * A duplicate of an action that failed with an error the failure policy marked as final. The
 * stored failure is replayed instead of running the action again. The original exception's
 * class name and message are kept; its stack trace is not stored.
 */
public class ReplayedFailureException extends IdempotencyException {

    private final String failureType;
    private final String failureMessage;

    public ReplayedFailureException(String key, String failureType, String failureMessage) {
        super(key, "Key " + key + " failed earlier with " + failureType
                + (failureMessage == null ? "" : ": " + failureMessage)
                + "; the failure was stored as final and is replayed, not retried.");
        this.failureType = failureType;
        this.failureMessage = failureMessage;
    }

    /** The class name of the original exception. */
    public String failureType() {
        return failureType;
    }

    /** The original exception's message, or {@code null}. */
    public String failureMessage() {
        return failureMessage;
    }
}
