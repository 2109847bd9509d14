package dev.idem;

/** Where an {@link Execution}'s value came from. */
public enum Source {
    /** The action ran in this call and its result was stored. */
    EXECUTED,
    /** A duplicate: the stored result was read from the backend. */
    REPLAYED,
    /** A duplicate: the stored result was read from the local cache. */
    REPLAYED_FROM_CACHE,
    /** The backend failed and the action ran without protection, as the fail-open policy allows. */
    EXECUTED_UNPROTECTED
}
