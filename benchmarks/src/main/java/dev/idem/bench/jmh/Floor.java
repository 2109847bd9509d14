package dev.idem.bench.jmh;

/**
 * The raw client operations that a store's claim and complete cannot beat: the same kind of
 * write on the same backend, without leases, tokens or the record's read-back. The library's
 * cost over these is its own overhead.
 */
interface Floor {

    /** Writes a new record under {@code key} unless one exists. */
    void claim(String key);

    /** Overwrites the record under {@code key} with a completed one holding {@code result}. */
    void complete(String key, byte[] result);
}
