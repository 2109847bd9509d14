package dev.idem.dynamodb;

import dev.idem.CorruptRecordException;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * Reads DynamoDB items as {@link IdempotencyRecord}s. Any item that is not in the layout's
 * format becomes a {@link CorruptRecordException} that names the attribute, so that a foreign
 * item sharing the table is reported and never overwritten.
 */
final class RecordItems {

    /** The status of a released claim, kept only so that the next claim continues its fencing token. */
    static final String RELEASED = "RELEASED";

    private final DynamoDbTableLayout layout;
    private final ResultCompression compression;

    RecordItems(DynamoDbTableLayout layout, ResultCompression compression) {
        this.layout = layout;
        this.compression = compression;
    }

    /**
     * Returns the record in {@code item} when it is live at {@code now}, or {@code null} when the
     * item is absent, expired or a released claim.
     */
    IdempotencyRecord liveRecord(String key, Map<String, AttributeValue> item, long now, String operation) {
        if (item == null || item.isEmpty()) {
            return null;
        }
        long expiresAt = requiredNumber(key, item, layout.expiresAt(), operation);
        if (expiresAt <= now) {
            return null;
        }
        return record(key, item, expiresAt, operation);
    }

    /**
     * Tells whether {@code item} held a record that was live at {@code now}. An item without a
     * readable expiry counts as live, so that a claim that replaced it reports a takeover.
     */
    boolean isLiveAt(Map<String, AttributeValue> item, long now) {
        if (item == null || item.isEmpty()) {
            return false;
        }
        Long expiresAt = number(item, layout.expiresAt());
        return expiresAt == null || expiresAt > now;
    }

    /** Tells whether {@code item} is a live in-progress claim under {@code fencingToken} at {@code now}. */
    boolean isHeldBy(Map<String, AttributeValue> item, long fencingToken, long now) {
        if (item == null || item.isEmpty()) {
            return false;
        }
        AttributeValue status = item.get(layout.status());
        Long token = number(item, layout.fencingToken());
        Long expiresAt = number(item, layout.expiresAt());
        return status != null
                && RecordStatus.IN_PROGRESS.name().equals(status.s())
                && token != null && token == fencingToken
                && expiresAt != null && expiresAt > now;
    }

    /** Returns the fencing token stored in {@code item}, or {@code null} when the item has none. */
    Long fencingToken(String key, Map<String, AttributeValue> item, String operation) {
        if (item == null || !item.containsKey(layout.fencingToken())) {
            return null;
        }
        return requiredNumber(key, item, layout.fencingToken(), operation);
    }

    private IdempotencyRecord record(String key, Map<String, AttributeValue> item, long expiresAt, String operation) {
        String statusText = requiredString(key, item, layout.status(), operation);
        RecordStatus status;
        try {
            status = RecordStatus.valueOf(statusText);
        } catch (IllegalArgumentException e) {
            throw corrupt(key, operation, "attribute " + layout.status() + " contains '" + statusText
                    + "', expected IN_PROGRESS or COMPLETED on a live item");
        }

        long fencingToken = requiredNumber(key, item, layout.fencingToken(), operation);
        long createdAt = requiredNumber(key, item, layout.createdAt(), operation);
        String fingerprint = optionalString(key, item, layout.fingerprint(), operation);
        String owner = optionalString(key, item, layout.owner(), operation);

        if (status == RecordStatus.IN_PROGRESS) {
            long leaseExpiresAt = requiredNumber(key, item, layout.leaseExpiresAt(), operation);
            return IdempotencyRecord.inProgress(key, fencingToken, leaseExpiresAt, expiresAt, fingerprint, createdAt, owner);
        }

        long completedAt = requiredNumber(key, item, layout.completedAt(), operation);
        byte[] result = result(key, item, operation);
        return new IdempotencyRecord(key, RecordStatus.COMPLETED, fencingToken, 0L, expiresAt, fingerprint, result,
                createdAt, completedAt, owner);
    }

    private byte[] result(String key, Map<String, AttributeValue> item, String operation) {
        AttributeValue value = item.get(layout.result());
        if (value == null || value.b() == null) {
            throw corrupt(key, operation, "attribute " + layout.result() + " is missing or not binary (B) on a"
                    + " COMPLETED item");
        }
        String encoding = optionalString(key, item, layout.resultEncoding(), operation);
        byte[] stored = value.b().asByteArray();
        if (encoding == null) {
            return stored;
        }
        if (!ResultCompression.GZIP.equals(encoding)) {
            throw corrupt(key, operation, "attribute " + layout.resultEncoding() + " contains '" + encoding
                    + "', but only '" + ResultCompression.GZIP + "' is known");
        }
        try {
            return compression.decompress(stored);
        } catch (ResultCompression.InvalidCompressedResultException e) {
            throw new CorruptRecordException(DynamoDbIdempotencyStore.BACKEND, operation, key, "the gzip result in"
                    + " attribute " + layout.result() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Returns a number attribute, or {@code null} when it is missing or not a whole number. */
    private static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            return null;
        }
        try {
            return Long.parseLong(value.n());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private long requiredNumber(String key, Map<String, AttributeValue> item, String name, String operation) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            throw corrupt(key, operation, "attribute " + name + " is missing or not a number (N)");
        }
        try {
            return Long.parseLong(value.n());
        } catch (NumberFormatException e) {
            throw corrupt(key, operation, "attribute " + name + " contains " + value.n() + ", which is not a whole"
                    + " number of the long range");
        }
    }

    private String requiredString(String key, Map<String, AttributeValue> item, String name, String operation) {
        String value = optionalString(key, item, name, operation);
        if (value == null) {
            throw corrupt(key, operation, "attribute " + name + " is missing");
        }
        return value;
    }

    private String optionalString(String key, Map<String, AttributeValue> item, String name, String operation) {
        AttributeValue value = item.get(name);
        if (value == null) {
            return null;
        }
        if (value.s() == null) {
            throw corrupt(key, operation, "attribute " + name + " is not a string (S)");
        }
        return value.s();
    }

    private CorruptRecordException corrupt(String key, String operation, String problem) {
        return new CorruptRecordException(DynamoDbIdempotencyStore.BACKEND, operation, key, "the item is not an Idem"
                + " record: " + problem + ". Delete the item, or point the store at a table or key prefix of its own.");
    }
}
