package dev.idem.bench.jmh;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.Map;

/**
 * The DynamoDB floor: a {@code PutItem} conditional on {@code attribute_not_exists(id)} to claim,
 * and an {@code UpdateItem} conditional on the token to complete, with the store's attribute
 * names, on a table of the store's key schema.
 */
final class DynamoDbFloor implements Floor {

    private final DynamoDbClient client;
    private final String table;
    private final long retentionMillis;

    DynamoDbFloor(DynamoDbClient client, String table, long retentionMillis) {
        this.client = client;
        this.table = table;
        this.retentionMillis = retentionMillis;
    }

    @Override
    public void claim(String key) {
        long now = System.currentTimeMillis();
        client.putItem(PutItemRequest.builder()
                .tableName(table)
                .item(Map.of(
                        "id", string(key),
                        "status", string("IN_PROGRESS"),
                        "fencingToken", number(1),
                        "leaseExpiresAt", number(now + retentionMillis),
                        "expiresAt", number(now + retentionMillis),
                        "ttl", number((now + retentionMillis) / 1000),
                        "createdAt", number(now),
                        "owner", string("bench")))
                .conditionExpression("attribute_not_exists(id)")
                .build());
    }

    @Override
    public void complete(String key, byte[] result) {
        long now = System.currentTimeMillis();
        client.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of("id", string(key)))
                .updateExpression("SET #status = :completed, #result = :result, leaseExpiresAt = :zero,"
                        + " completedAt = :now, expiresAt = :expires")
                .conditionExpression("fencingToken = :token")
                .expressionAttributeNames(Map.of("#status", "status", "#result", "result"))
                .expressionAttributeValues(Map.of(
                        ":completed", string("COMPLETED"),
                        ":result", AttributeValue.fromB(SdkBytes.fromByteArray(result)),
                        ":zero", number(0),
                        ":now", number(now),
                        ":expires", number(now + retentionMillis),
                        ":token", number(1)))
                .build());
    }

    private static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
