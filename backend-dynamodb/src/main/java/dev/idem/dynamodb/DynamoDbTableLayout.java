package dev.idem.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The attribute names and key layout of an idempotency table. Immutable.
 *
 * <p>Two key layouts are supported:
 * <ul>
 *   <li>Simple (the default): a table whose only key is a string partition key, {@code id} by
 *       default, holding {@code partitionKeyPrefix + key}.</li>
 *   <li>Partition plus sort key, for single-table designs: the partition key holds
 *       {@code partitionKeyPrefix + key}, and the sort key holds either a fixed value
 *       ({@link Builder#sortKey(String, String)}) or a prefix followed by the key
 *       ({@link Builder#sortKeyWithKeyPrefix(String, String)}). Every key lands in its own
 *       partition, so idempotency records never make a hot partition.</li>
 * </ul>
 *
 * <p>Attributes of an item, with their default names. Times are epoch milliseconds on the
 * clock of the client that wrote them, except {@code ttl}:
 * <table>
 *   <caption>Item attributes</caption>
 *   <tr><th>default name</th><th>type</th><th>content</th></tr>
 *   <tr><td>{@code id}</td><td>S</td><td>partition key: the prefix and the namespaced idempotency key</td></tr>
 *   <tr><td>(none)</td><td>S</td><td>sort key, only in the partition-plus-sort-key layout</td></tr>
 *   <tr><td>{@code status}</td><td>S</td><td>{@code IN_PROGRESS}, {@code COMPLETED}, or {@code RELEASED} for a
 *       released claim kept only for its fencing token</td></tr>
 *   <tr><td>{@code fencingToken}</td><td>N</td><td>per-key counter, one higher after every claim or takeover</td></tr>
 *   <tr><td>{@code leaseExpiresAt}</td><td>N</td><td>end of the lease; only on {@code IN_PROGRESS} items</td></tr>
 *   <tr><td>{@code expiresAt}</td><td>N</td><td>end of retention; {@code 0} on a released claim</td></tr>
 *   <tr><td>{@code ttl}</td><td>N</td><td>epoch <em>seconds</em> after which DynamoDB TTL may delete the item;
 *       at least {@code expiresAt} plus the clock skew allowance, rounded up</td></tr>
 *   <tr><td>{@code fingerprint}</td><td>S</td><td>hash of the request payload; absent when the caller sent none</td></tr>
 *   <tr><td>{@code result}</td><td>B</td><td>the encoded result; only on {@code COMPLETED} items</td></tr>
 *   <tr><td>{@code resultEncoding}</td><td>S</td><td>{@code gzip} when {@code result} is compressed; absent otherwise</td></tr>
 *   <tr><td>{@code createdAt}</td><td>N</td><td>when the current claim was made</td></tr>
 *   <tr><td>{@code completedAt}</td><td>N</td><td>when the record completed; only on {@code COMPLETED} items</td></tr>
 *   <tr><td>{@code owner}</td><td>S</td><td>identifier of the process that made the current claim</td></tr>
 *   <tr><td>{@code claimId}</td><td>S</td><td>random identifier of the current claim's request, so that a claim
 *       whose response was lost and that the SDK sent again recognizes its own earlier write</td></tr>
 * </table>
 */
public final class DynamoDbTableLayout {

    /** DynamoDB's limit for the value of a partition key, in bytes. */
    static final int MAX_PARTITION_KEY_BYTES = 2048;

    /** DynamoDB's limit for the value of a sort key, in bytes. */
    static final int MAX_SORT_KEY_BYTES = 1024;

    /** DynamoDB's limit for the name of a key attribute, in bytes. */
    private static final int MAX_KEY_NAME_BYTES = 255;

    /** The shortest key room the core accepts: a namespace plus a 64-character SHA-256 digest. */
    private static final int MIN_KEY_ROOM = 80;

    private final String partitionKey;
    private final String partitionKeyPrefix;
    private final String sortKey;
    private final String sortKeyValue;
    private final boolean sortKeyHoldsKey;
    private final String status;
    private final String fencingToken;
    private final String leaseExpiresAt;
    private final String expiresAt;
    private final String ttl;
    private final String fingerprint;
    private final String result;
    private final String resultEncoding;
    private final String createdAt;
    private final String completedAt;
    private final String owner;
    private final String claimId;

    private DynamoDbTableLayout(Builder builder) {
        this.partitionKey = builder.partitionKey;
        this.partitionKeyPrefix = builder.partitionKeyPrefix;
        this.sortKey = builder.sortKey;
        this.sortKeyValue = builder.sortKeyValue;
        this.sortKeyHoldsKey = builder.sortKeyHoldsKey;
        this.status = builder.status;
        this.fencingToken = builder.fencingToken;
        this.leaseExpiresAt = builder.leaseExpiresAt;
        this.expiresAt = builder.expiresAt;
        this.ttl = builder.ttl;
        this.fingerprint = builder.fingerprint;
        this.result = builder.result;
        this.resultEncoding = builder.resultEncoding;
        this.createdAt = builder.createdAt;
        this.completedAt = builder.completedAt;
        this.owner = builder.owner;
        this.claimId = builder.claimId;
    }

    /** Returns the simple layout with every default name. */
    public static DynamoDbTableLayout defaults() {
        return builder().build();
    }

    /** Starts a builder with every default name and the simple key layout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The name of the partition key attribute, {@code id} by default. */
    public String partitionKey() {
        return partitionKey;
    }

    /** The text put before each key in the partition key value; empty by default. */
    public String partitionKeyPrefix() {
        return partitionKeyPrefix;
    }

    /** Tells whether the table has a sort key. */
    public boolean hasSortKey() {
        return sortKey != null;
    }

    /** The name of the sort key attribute, or {@code null} in the simple layout. */
    public String sortKey() {
        return sortKey;
    }

    public String status() {
        return status;
    }

    public String fencingToken() {
        return fencingToken;
    }

    public String leaseExpiresAt() {
        return leaseExpiresAt;
    }

    public String expiresAt() {
        return expiresAt;
    }

    /** The name of the TTL attribute in epoch seconds, the one to enable DynamoDB TTL on. */
    public String ttl() {
        return ttl;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public String result() {
        return result;
    }

    public String resultEncoding() {
        return resultEncoding;
    }

    public String createdAt() {
        return createdAt;
    }

    public String completedAt() {
        return completedAt;
    }

    public String owner() {
        return owner;
    }

    public String claimId() {
        return claimId;
    }

    /** Returns the primary key of the item that holds {@code key}. */
    public Map<String, AttributeValue> itemKey(String key) {
        Map<String, AttributeValue> itemKey = new HashMap<>(4);
        itemKey.put(partitionKey, AttributeValue.fromS(partitionKeyPrefix + key));
        if (sortKey != null) {
            String value = sortKeyHoldsKey ? sortKeyValue + key : sortKeyValue;
            itemKey.put(sortKey, AttributeValue.fromS(value));
        }
        return itemKey;
    }

    /**
     * The longest idempotency key, in UTF-8 bytes, that fits DynamoDB's key limits after the
     * prefixes: 2048 bytes for a partition key and 1024 for a sort key.
     */
    public int maxKeyBytes() {
        int max = MAX_PARTITION_KEY_BYTES - utf8Length(partitionKeyPrefix);
        if (sortKey != null && sortKeyHoldsKey) {
            max = Math.min(max, MAX_SORT_KEY_BYTES - utf8Length(sortKeyValue));
        }
        return max;
    }

    /** Returns every attribute name by role, in the order of the class documentation. */
    Map<String, String> attributeNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("partitionKey", partitionKey);
        if (sortKey != null) {
            names.put("sortKey", sortKey);
        }
        names.put("status", status);
        names.put("fencingToken", fencingToken);
        names.put("leaseExpiresAt", leaseExpiresAt);
        names.put("expiresAt", expiresAt);
        names.put("ttl", ttl);
        names.put("fingerprint", fingerprint);
        names.put("result", result);
        names.put("resultEncoding", resultEncoding);
        names.put("createdAt", createdAt);
        names.put("completedAt", completedAt);
        names.put("owner", owner);
        names.put("claimId", claimId);
        return names;
    }

    @Override
    public String toString() {
        String sortKeyText = sortKey == null ? "none"
                : sortKey + (sortKeyHoldsKey ? " = '" + sortKeyValue + "' + key" : " = '" + sortKeyValue + "'");
        return "DynamoDbTableLayout[partitionKey=" + partitionKey + " = '" + partitionKeyPrefix + "' + key"
                + ", sortKey=" + sortKeyText + ", attributes=" + attributeNames().values() + "]";
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Builds a {@link DynamoDbTableLayout}; {@link #build()} rejects blank or repeated names. */
    public static final class Builder {

        private String partitionKey = "id";
        private String partitionKeyPrefix = "";
        private String sortKey;
        private String sortKeyValue;
        private boolean sortKeyHoldsKey;
        private String status = "status";
        private String fencingToken = "fencingToken";
        private String leaseExpiresAt = "leaseExpiresAt";
        private String expiresAt = "expiresAt";
        private String ttl = "ttl";
        private String fingerprint = "fingerprint";
        private String result = "result";
        private String resultEncoding = "resultEncoding";
        private String createdAt = "createdAt";
        private String completedAt = "completedAt";
        private String owner = "owner";
        private String claimId = "claimId";

        private Builder() {
        }

        /** Sets the name of the string partition key attribute, {@code id} by default. */
        public Builder partitionKey(String attributeName) {
            this.partitionKey = attributeName;
            return this;
        }

        /** Sets a text to put before each key in the partition key value, such as {@code IDEM#}; empty by default. */
        public Builder partitionKeyPrefix(String prefix) {
            this.partitionKeyPrefix = Objects.requireNonNull(prefix, "partitionKeyPrefix");
            return this;
        }

        /** Uses a string sort key attribute that holds the same {@code value} on every idempotency item. */
        public Builder sortKey(String attributeName, String value) {
            Objects.requireNonNull(value, "sort key value");
            if (value.isEmpty()) {
                throw new IllegalArgumentException("The sort key value must not be empty, because DynamoDB rejects"
                        + " empty key values");
            }
            this.sortKey = attributeName;
            this.sortKeyValue = value;
            this.sortKeyHoldsKey = false;
            return this;
        }

        /** Uses a string sort key attribute that holds {@code prefix} followed by the idempotency key. */
        public Builder sortKeyWithKeyPrefix(String attributeName, String prefix) {
            this.sortKey = attributeName;
            this.sortKeyValue = Objects.requireNonNull(prefix, "sort key prefix");
            this.sortKeyHoldsKey = true;
            return this;
        }

        /** Goes back to the simple layout without a sort key. */
        public Builder noSortKey() {
            this.sortKey = null;
            this.sortKeyValue = null;
            this.sortKeyHoldsKey = false;
            return this;
        }

        public Builder status(String attributeName) {
            this.status = attributeName;
            return this;
        }

        public Builder fencingToken(String attributeName) {
            this.fencingToken = attributeName;
            return this;
        }

        public Builder leaseExpiresAt(String attributeName) {
            this.leaseExpiresAt = attributeName;
            return this;
        }

        public Builder expiresAt(String attributeName) {
            this.expiresAt = attributeName;
            return this;
        }

        /** Sets the name of the TTL attribute in epoch seconds, {@code ttl} by default. */
        public Builder ttl(String attributeName) {
            this.ttl = attributeName;
            return this;
        }

        public Builder fingerprint(String attributeName) {
            this.fingerprint = attributeName;
            return this;
        }

        public Builder result(String attributeName) {
            this.result = attributeName;
            return this;
        }

        public Builder resultEncoding(String attributeName) {
            this.resultEncoding = attributeName;
            return this;
        }

        public Builder createdAt(String attributeName) {
            this.createdAt = attributeName;
            return this;
        }

        public Builder completedAt(String attributeName) {
            this.completedAt = attributeName;
            return this;
        }

        public Builder owner(String attributeName) {
            this.owner = attributeName;
            return this;
        }

        public Builder claimId(String attributeName) {
            this.claimId = attributeName;
            return this;
        }

        /**
         * Builds the layout.
         *
         * @throws IllegalArgumentException when a name is blank, two roles share a name, a key
         *                                  attribute name is longer than 255 bytes, or the prefixes
         *                                  leave less than 80 bytes for the idempotency key
         */
        public DynamoDbTableLayout build() {
            DynamoDbTableLayout layout = new DynamoDbTableLayout(this);
            Map<String, String> roleByName = new HashMap<>();

            for (Map.Entry<String, String> role : layout.attributeNames().entrySet()) {
                String name = role.getValue();
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("The " + role.getKey() + " attribute name must not be blank, got '"
                            + name + "'");
                }
                String other = roleByName.putIfAbsent(name, role.getKey());
                if (other != null) {
                    throw new IllegalArgumentException("The attribute name '" + name + "' is used for both " + other
                            + " and " + role.getKey() + "; give each role its own name");
                }
            }

            checkKeyName(partitionKey, "partition key");
            if (sortKey != null) {
                checkKeyName(sortKey, "sort key");
            }
            if (layout.maxKeyBytes() < MIN_KEY_ROOM) {
                throw new IllegalArgumentException("The key prefixes leave room for keys of only " + layout.maxKeyBytes()
                        + " bytes, but at least " + MIN_KEY_ROOM + " are needed; shorten the partition or sort key prefix");
            }
            return layout;
        }

        private static void checkKeyName(String name, String role) {
            if (utf8Length(name) > MAX_KEY_NAME_BYTES) {
                throw new IllegalArgumentException("The " + role + " attribute name '" + name + "' is longer than "
                        + MAX_KEY_NAME_BYTES + " bytes, the DynamoDB limit for key attribute names");
            }
        }
    }
}
