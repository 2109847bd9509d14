package dev.idem.lambda;

/** The outcome of one record of a batch, and whether the partial batch response reports it for retry. */
public enum RecordOutcome {

    /** The handler ran and returned; its completion was sent to the store. */
    EXECUTED(false),

    /** A duplicate of a record that completed earlier: the handler did not run, and the record counts as a success. */
    REPLAYED(false),

    /** The handler threw; its claim was released so that a redelivery runs it again. */
    FAILED(true),

    /** Another invocation holds the key; left for redelivery, when the holder has finished or its lease has ended. */
    IN_FLIGHT(true),

    /**
     * The key's live record was made for a different payload. A client error: retries fail the
     * same way until the record expires, so the record ends in the dead-letter queue or the
     * stream's on-failure destination. Logged at ERROR.
     */
    PAYLOAD_MISMATCH(true),

    /**
     * The key function returned null or blank, threw, or returned a key the store rejects, or the
     * payload function threw. The record is never processed under a shared or made-up key; like a
     * mismatch it ends in the dead-letter queue or on-failure destination. Logged at ERROR.
     */
    INVALID_KEY(true),

    /**
     * Not started: an ordered batch (a FIFO queue or a stream) stopped at an earlier failure, or
     * less than the lease margin was left in the invocation. Its claim, if any, was released.
     */
    NOT_RUN(true);

    private final boolean retry;

    RecordOutcome(boolean retry) {
        this.retry = retry;
    }

    /** Tells whether the record is named in the partial batch response, so that the event source redelivers it. */
    public boolean isRetry() {
        return retry;
    }
}
