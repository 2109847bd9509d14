package dev.idem;

/** The outcome of one entry of {@link Idem#completeAll}. */
public enum CompletionStatus {
    /** The result is stored and duplicates replay it. */
    STORED,
    /** The record completed without its result, which was too large or not encodable; the action will not run again. */
    RESULT_NOT_STORED,
    /** The lease was taken over or the record expired; nothing was written. */
    LEASE_LOST
}
