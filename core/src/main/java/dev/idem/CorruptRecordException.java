package dev.idem;

/**
 * The value stored at a key is not an Idem record, or a field of it cannot be read. The store
 * leaves such a value untouched; delete it by hand, or point Idem at another namespace or table.
 */
public class CorruptRecordException extends BackendException {

    public CorruptRecordException(String backend, String operation, String key, String message, Throwable cause) {
        super(backend, operation, key, message, cause);
    }

    public CorruptRecordException(String backend, String operation, String key, String message) {
        super(backend, operation, key, message, null);
    }
}
