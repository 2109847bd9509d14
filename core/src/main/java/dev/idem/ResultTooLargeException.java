package dev.idem;

/**
 * The action ran but its encoded result is larger than the configured or backend limit. The
 * record was completed without a result, so the action will not run again for this key;
 * duplicates get a {@link ResultNotStoredException}. Store a smaller result (an id rather than
 * the whole document) or raise {@code maxResultBytes} where the backend allows it.
 */
public class ResultTooLargeException extends IdempotencyException {

    private final int size;
    private final int limit;

    public ResultTooLargeException(String key, int size, int limit) {
        super(key, "Result for key " + key + " is " + size + " bytes encoded, above the limit of " + limit
                + " bytes. The action ran and the record was completed without a result, so duplicates will"
                + " not run it again. Return a smaller result, such as an id, or raise maxResultBytes.");
        this.size = size;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
