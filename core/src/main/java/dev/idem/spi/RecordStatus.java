package dev.idem.spi;

/** The state of an idempotency record. */
public enum RecordStatus {
    /** A caller holds the key under a lease and its action is running. */
    IN_PROGRESS,
    /** The action finished and its encoded result is stored for replay. */
    COMPLETED
}
