package dev.idem;

/**
 * The backend failed: unreachable, timed out, rejected a request, or holds a record that
 * cannot be read. The cause is the backend client's own exception. Whether the operation took
 * effect is unknown, so a retry must go through {@code claim} again, which sees the true state.
 */
public class BackendException extends IdempotencyException {

    private final String backend;
    private final String operation;

    /**
     * @param key the full storage key, or {@code null} for an operation on no single key, such as a purge
     */
    public BackendException(String backend, String operation, String key, String message, Throwable cause) {
        super(key, backend + " " + operation + " failed" + (key == null ? "" : " for key " + key) + ": " + message, cause);
        this.backend = backend;
        this.operation = operation;
    }

    public BackendException(String backend, String operation, String key, String message) {
        this(backend, operation, key, message, null);
    }

    /** The backend's short name, such as {@code redis}. */
    public String backend() {
        return backend;
    }

    /** The store operation that failed, such as {@code claim} or {@code complete}. */
    public String operation() {
        return operation;
    }
}
