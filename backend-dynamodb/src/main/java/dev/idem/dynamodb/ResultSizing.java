package dev.idem.dynamodb;

import dev.idem.internal.ResultEnvelope;

import java.util.Map;

/**
 * Fits a result into DynamoDB's item size limit of 400 KB (409,600 bytes, counting attribute
 * names and values). A result that fits is stored as it is. One that does not is compressed
 * with GZIP when that makes it fit. Otherwise the record completes with a "not stored"
 * envelope, so that the action still never runs twice.
 */
final class ResultSizing {

    /** DynamoDB's item size limit, in bytes. */
    static final int MAX_ITEM_BYTES = 400 * 1024;

    /** An upper bound of a number attribute's value size: a long has at most 19 significant digits. */
    private static final int NUMBER_VALUE_BYTES = 21;

    /**
     * Room kept for the fingerprint and owner attributes, which the completion does not know: a
     * SHA-256 fingerprint and a host-and-process owner take about 150 bytes.
     */
    // NOTE: an owner id and fingerprint above this size together can push a near-limit result over the
    // item limit. The store then retries the completion once without the result.
    static final int UNKNOWN_ATTRIBUTES_RESERVE = 2048;

    private final DynamoDbTableLayout layout;
    private final ResultCompression compression;

    ResultSizing(DynamoDbTableLayout layout, ResultCompression compression) {
        this.layout = layout;
        this.compression = compression;
    }

    /** Returns what to store for {@code envelope} on the item of {@code key}. */
    StoredResult fit(String key, byte[] envelope) {
        int room = resultRoom(key);
        if (envelope.length <= room) {
            return new StoredResult(envelope, null, envelope.length, false);
        }

        byte[] compressed = compression.compress(envelope);
        if (compressed.length <= room) {
            return new StoredResult(compressed, ResultCompression.GZIP, envelope.length, false);
        }

        return notStored(envelope.length, "result of " + envelope.length + " bytes is " + compressed.length
                + " bytes compressed, above the " + room + " bytes a DynamoDB item has room for");
    }

    /** Returns a "not stored" envelope for a result of {@code originalBytes} bytes, with the reason. */
    static StoredResult notStored(int originalBytes, String reason) {
        return new StoredResult(ResultEnvelope.notStored(reason), null, originalBytes, true);
    }

    /** Returns the largest result attribute value that keeps the completed item of {@code key} within the limit. */
    int resultRoom(String key) {
        int used = 0;
        for (Map.Entry<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> keyAttribute
                : layout.itemKey(key).entrySet()) {
            used += DynamoDbTableLayout.utf8Length(keyAttribute.getKey())
                    + DynamoDbTableLayout.utf8Length(keyAttribute.getValue().s());
        }

        used += DynamoDbTableLayout.utf8Length(layout.status()) + "COMPLETED".length();
        used += DynamoDbTableLayout.utf8Length(layout.resultEncoding()) + ResultCompression.GZIP.length();
        used += DynamoDbTableLayout.utf8Length(layout.result());
        for (String number : new String[] {layout.fencingToken(), layout.expiresAt(), layout.ttl(), layout.createdAt(),
                layout.completedAt()}) {
            used += DynamoDbTableLayout.utf8Length(number) + NUMBER_VALUE_BYTES;
        }
        used += UNKNOWN_ATTRIBUTES_RESERVE;

        return MAX_ITEM_BYTES - used;
    }
}
