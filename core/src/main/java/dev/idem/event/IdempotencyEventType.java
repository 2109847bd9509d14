package dev.idem.event;

/** What happened to a key. */
public enum IdempotencyEventType {
    /** A new claim: the action runs. */
    ACQUIRED,
    /** A claim took over an in-progress record whose lease had expired: the action runs again. */
    TAKEOVER,
    /** The action's result was stored. */
    COMPLETED,
    /** A duplicate was answered with the stored result from the backend. */
    REPLAYED,
    /** A duplicate was answered with the stored result from the local cache. */
    CACHE_HIT,
    /** A duplicate arrived while the first caller's action was running. */
    IN_FLIGHT,
    /** A key was reused with a different payload. */
    FINGERPRINT_MISMATCH,
    /** A claim was released after the action failed, so a retry may run it. */
    RELEASED,
    /** The action failed with an error marked final, and the failure was stored for replay. */
    FAILURE_STORED,
    /** The action ran, but its result was too large or not encodable and was not stored. */
    RESULT_NOT_STORED,
    /** A holder's lease was extended. */
    EXTENDED,
    /** A holder tried to complete or extend after losing its lease. */
    LEASE_LOST,
    /** The backend failed. */
    BACKEND_ERROR,
    /** The backend failed and the action ran without protection because the policy fails open. */
    FAIL_OPEN
}
