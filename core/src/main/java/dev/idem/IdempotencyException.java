package dev.idem;

/** The base of every exception Idem throws for a key. Unchecked, like the exceptions of most storage libraries. */
public class IdempotencyException extends RuntimeException {

    private final String key;

    public IdempotencyException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    public IdempotencyException(String key, String message) {
        this(key, message, null);
    }

    /** The full storage key, namespace included, or {@code null} when the failure concerns no single key. */
    public String key() {
        return key;
    }
}
