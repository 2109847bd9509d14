package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.RecordStatus;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds the conditional requests of each store operation. Every expression refers to
 * attributes through placeholders, because several default names ({@code status}, {@code ttl})
 * are DynamoDB reserved words, and only the placeholders an expression uses are sent, because
 * DynamoDB rejects unused ones.
 */
final class ItemRequests {

    private static final AttributeValue IN_PROGRESS = AttributeValue.fromS(RecordStatus.IN_PROGRESS.name());
    private static final AttributeValue COMPLETED = AttributeValue.fromS(RecordStatus.COMPLETED.name());
    private static final AttributeValue RELEASED = AttributeValue.fromS(RecordItems.RELEASED);
    private static final AttributeValue ONE = AttributeValue.fromN("1");
    private static final AttributeValue ZERO = AttributeValue.fromN("0");

    /** The condition under which the caller has the key: its own live, in-progress claim. */
    private static final String HELD = "#st = :inProgress AND #tok = :token AND #exp > :now";

    private final String tableName;
    private final DynamoDbTableLayout layout;
    private final long skewMillis;

    ItemRequests(String tableName, DynamoDbTableLayout layout, long skewMillis) {
        this.tableName = tableName;
        this.layout = layout;
        this.skewMillis = skewMillis;
    }

    /**
     * Builds the claim: one UpdateItem that creates the item or replaces an expired one, or takes over
     * an in-progress one whose lease is over and whose fingerprint matches. The fencing token
     * continues from the stored one, or starts from {@code now} on a new item.
     *
     * <p>A claim without a fingerprint writes none, so that the new record matches any payload,
     * but a takeover keeps the stored fingerprint so that later mismatches are still caught. One
     * update cannot both remove and keep it depending on the item, so a claim without a
     * fingerprint takes over only records that have none either; for the others the store sends
     * a second claim with {@code keptFingerprint}, which takes over only while that fingerprint
     * is still stored.
     *
     * @param keptFingerprint the stored fingerprint for such a takeover, or {@code null} for a normal claim
     * @param now             the client's clock, written as the claim's times
     * @param decisionNow     the client's clock minus the skew allowance, compared with stored times
     */
    DynamoDbTableLayout layout() {
        return layout;
    }

    UpdateItemRequest claim(ClaimRequest request, String keptFingerprint, String claimId, long now, long decisionNow) {
        Expression expression = new Expression();
        expression.name("#st", layout.status());
        expression.name("#tok", layout.fencingToken());
        expression.name("#lease", layout.leaseExpiresAt());
        expression.name("#exp", layout.expiresAt());
        expression.name("#ttl", layout.ttl());
        expression.name("#fp", layout.fingerprint());
        expression.name("#res", layout.result());
        expression.name("#enc", layout.resultEncoding());
        expression.name("#cre", layout.createdAt());
        expression.name("#cmp", layout.completedAt());
        expression.name("#own", layout.owner());
        expression.name("#cid", layout.claimId());

        long leaseExpiresAt = now + request.leaseMillis();
        long expiresAt = request.expiresAt(now);
        expression.value(":inProgress", IN_PROGRESS);
        expression.value(":seed", number(now));
        expression.value(":one", ONE);
        expression.value(":lease", number(leaseExpiresAt));
        expression.value(":exp", number(expiresAt));
        expression.value(":ttl", number(ttlSeconds(expiresAt)));
        expression.value(":now", number(now));
        expression.value(":decisionNow", number(decisionNow));

        expression.value(":cid", AttributeValue.fromS(claimId));

        StringBuilder set = new StringBuilder("SET #st = :inProgress, #tok = if_not_exists(#tok, :seed) + :one,"
                + " #lease = :lease, #exp = :exp, #ttl = :ttl, #cre = :now, #cid = :cid");
        StringBuilder remove = new StringBuilder(" REMOVE #res, #enc, #cmp");
        String fingerprint = request.fingerprint() != null ? request.fingerprint() : keptFingerprint;
        if (fingerprint != null) {
            set.append(", #fp = :fp");
            expression.value(":fp", AttributeValue.fromS(fingerprint));
        } else {
            remove.append(", #fp");
        }
        if (request.owner() != null) {
            set.append(", #own = :owner");
            expression.value(":owner", AttributeValue.fromS(request.owner()));
        } else {
            remove.append(", #own");
        }

        String condition;
        if (request.fingerprint() == null && keptFingerprint != null) {
            condition = "#st = :inProgress AND #lease <= :decisionNow AND #exp > :decisionNow AND #fp = :fp";
        } else {
            // A takeover needs matching fingerprints, where a missing one on either side matches.
            String fingerprintClause = request.fingerprint() == null
                    ? " AND attribute_not_exists(#fp)"
                    : " AND (attribute_not_exists(#fp) OR #fp = :fp)";
            expression.name("#pk", layout.partitionKey());
            condition = "attribute_not_exists(#pk) OR #exp <= :decisionNow"
                    + " OR (#st = :inProgress AND #lease <= :decisionNow" + fingerprintClause + ")";
        }

        return UpdateItemRequest.builder()
                .tableName(tableName)
                .key(layout.itemKey(request.key()))
                .updateExpression(set.append(remove).toString())
                .conditionExpression(condition)
                .expressionAttributeNames(expression.names)
                .expressionAttributeValues(expression.values)
                .returnValues(ReturnValue.ALL_OLD)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** Builds the completion, which stores the result and retention only while the caller has the key. */
    UpdateItemRequest complete(String key, long fencingToken, StoredResult result, long now, long retentionMillis) {
        Expression expression = held(fencingToken, now);
        expression.name("#lease", layout.leaseExpiresAt());
        expression.name("#ttl", layout.ttl());
        expression.name("#res", layout.result());
        expression.name("#enc", layout.resultEncoding());
        expression.name("#cmp", layout.completedAt());

        long expiresAt = now + retentionMillis;
        expression.value(":completed", COMPLETED);
        expression.value(":result", AttributeValue.fromB(SdkBytes.fromByteArray(result.bytes())));
        expression.value(":exp", number(expiresAt));
        expression.value(":ttl", number(ttlSeconds(expiresAt)));

        String update = "SET #st = :completed, #res = :result, #exp = :exp, #ttl = :ttl, #cmp = :now";
        if (result.encoding() != null) {
            expression.value(":encoding", AttributeValue.fromS(result.encoding()));
            update += ", #enc = :encoding REMOVE #lease";
        } else {
            update += " REMOVE #lease, #enc";
        }

        return heldUpdate(key, expression, update)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /**
     * Builds the first try of an extension, which moves the lease when the record's retention already covers
     * it, which is the usual case.
     */
    UpdateItemRequest extendWithinRetention(String key, long fencingToken, long now, long leaseExpiresAt) {
        Expression expression = held(fencingToken, now);
        expression.name("#lease", layout.leaseExpiresAt());
        expression.value(":lease", number(leaseExpiresAt));

        return heldUpdate(key, expression, "SET #lease = :lease", " AND #exp >= :lease")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** Builds the second try of an extension, which moves the lease and the retention that the new lease outlives. */
    UpdateItemRequest extendPastRetention(String key, long fencingToken, long now, long leaseExpiresAt) {
        Expression expression = held(fencingToken, now);
        expression.name("#lease", layout.leaseExpiresAt());
        expression.name("#ttl", layout.ttl());
        expression.value(":lease", number(leaseExpiresAt));
        expression.value(":ttl", number(ttlSeconds(leaseExpiresAt)));

        return heldUpdate(key, expression, "SET #lease = :lease, #exp = :lease, #ttl = :ttl", " AND #exp < :lease")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /**
     * Builds the release, which marks the caller's claim released and expired instead of deleting it, so that
     * the next claim continues its fencing token. The TTL attribute keeps its value, so DynamoDB
     * deletes the item when the claim's retention would have ended.
     */
    UpdateItemRequest release(String key, long fencingToken, long now) {
        Expression expression = held(fencingToken, now);
        expression.name("#lease", layout.leaseExpiresAt());
        expression.value(":released", RELEASED);
        expression.value(":zero", ZERO);

        return heldUpdate(key, expression, "SET #st = :released, #exp = :zero REMOVE #lease").build();
    }

    /** Builds a strongly consistent read of one item, which returns every write acknowledged before it. */
    GetItemRequest consistentGet(String key) {
        return GetItemRequest.builder()
                .tableName(tableName)
                .key(layout.itemKey(key))
                .consistentRead(true)
                .build();
    }

    /**
     * Returns the epoch second from which DynamoDB TTL may delete an item that expires at
     * {@code expiresAt} milliseconds: rounded up, and later by the skew allowance, so that TTL
     * never deletes a record that a client with a slower clock still reads as live.
     */
    long ttlSeconds(long expiresAt) {
        return Math.floorDiv(expiresAt + skewMillis + 999, 1000);
    }

    private Expression held(long fencingToken, long now) {
        Expression expression = new Expression();
        expression.name("#st", layout.status());
        expression.name("#tok", layout.fencingToken());
        expression.name("#exp", layout.expiresAt());
        expression.value(":inProgress", IN_PROGRESS);
        expression.value(":token", number(fencingToken));
        expression.value(":now", number(now));
        return expression;
    }

    private UpdateItemRequest.Builder heldUpdate(String key, Expression expression, String update) {
        return heldUpdate(key, expression, update, "");
    }

    private UpdateItemRequest.Builder heldUpdate(String key, Expression expression, String update, String extraCondition) {
        return UpdateItemRequest.builder()
                .tableName(tableName)
                .key(layout.itemKey(key))
                .updateExpression(update)
                .conditionExpression(HELD + extraCondition)
                .expressionAttributeNames(expression.names)
                .expressionAttributeValues(expression.values);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The placeholders of one request. */
    private static final class Expression {

        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();

        void name(String placeholder, String attribute) {
            names.put(placeholder, attribute);
        }

        void value(String placeholder, AttributeValue value) {
            values.put(placeholder, value);
        }
    }
}
