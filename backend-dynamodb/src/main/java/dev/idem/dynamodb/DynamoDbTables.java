package dev.idem.dynamodb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates an idempotency table with on-demand ({@code PAY_PER_REQUEST}) billing and enables
 * DynamoDB TTL on its seconds attribute. Meant for tests, local development and first
 * deployments; production tables usually come from CloudFormation, SAM or Terraform, as the
 * module README shows.
 */
public final class DynamoDbTables {

    private static final Logger log = LoggerFactory.getLogger(DynamoDbTables.class);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration DEFAULT_ACTIVE_TIMEOUT = Duration.ofMinutes(5);

    private DynamoDbTables() {
    }

    /** Creates the table in the default layout; see {@link #createTable(DynamoDbClient, String, DynamoDbTableLayout, Duration)}. */
    public static TableSetupResult createTable(DynamoDbClient client, String tableName) {
        return createTable(client, tableName, DynamoDbTableLayout.defaults(), DEFAULT_ACTIVE_TIMEOUT);
    }

    /** Creates the table in {@code layout}; see {@link #createTable(DynamoDbClient, String, DynamoDbTableLayout, Duration)}. */
    public static TableSetupResult createTable(DynamoDbClient client, String tableName, DynamoDbTableLayout layout) {
        return createTable(client, tableName, layout, DEFAULT_ACTIVE_TIMEOUT);
    }

    /**
     * Creates the table unless it exists, waits until it is {@code ACTIVE}, and enables TTL on
     * the layout's TTL attribute unless it is enabled already. An endpoint without the TTL API,
     * such as dynalite, is reported in the result and logged as a warning rather than thrown.
     * The store reads expiry from its own attributes and works without TTL, and only expired
     * items then stay in the table.
     *
     * @param activeTimeout how long to wait for a new table to become {@code ACTIVE}
     * @throws IllegalStateException when the table exists with another key schema, or did not
     *                               become active in time
     * @throws software.amazon.awssdk.core.exception.SdkException when DynamoDB rejects a request
     */
    public static TableSetupResult createTable(DynamoDbClient client, String tableName, DynamoDbTableLayout layout,
                                               Duration activeTimeout) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(activeTimeout, "activeTimeout");

        boolean created = createIfAbsent(client, tableName, layout);
        TableDescription table = awaitActive(client, tableName, activeTimeout);
        checkKeySchema(table, layout);

        TableSetupResult result = enableTtl(client, tableName, layout.ttl(), created);
        if (result.ttl() == TtlSetup.NOT_SUPPORTED || result.ttl() == TtlSetup.ENABLED_ON_OTHER_ATTRIBUTE) {
            log.warn("[{}] {}", DynamoDbIdempotencyStore.BACKEND, result.message());
        } else {
            log.info("[{}] {}", DynamoDbIdempotencyStore.BACKEND, result.message());
        }
        return result;
    }

    private static boolean createIfAbsent(DynamoDbClient client, String tableName, DynamoDbTableLayout layout) {
        List<KeySchemaElement> keySchema = new ArrayList<>();
        List<AttributeDefinition> attributes = new ArrayList<>();
        keySchema.add(KeySchemaElement.builder().attributeName(layout.partitionKey()).keyType(KeyType.HASH).build());
        attributes.add(stringAttribute(layout.partitionKey()));
        if (layout.hasSortKey()) {
            keySchema.add(KeySchemaElement.builder().attributeName(layout.sortKey()).keyType(KeyType.RANGE).build());
            attributes.add(stringAttribute(layout.sortKey()));
        }

        try {
            client.createTable(CreateTableRequest.builder()
                    .tableName(tableName)
                    .keySchema(keySchema)
                    .attributeDefinitions(attributes)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .build());
            log.info("[{}] creating table {} with on-demand billing", DynamoDbIdempotencyStore.BACKEND, tableName);
            return true;
        } catch (ResourceInUseException e) {
            // The table exists already; its key schema is checked once it is active.
            return false;
        }
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static TableDescription awaitActive(DynamoDbClient client, String tableName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TableDescription table = client.describeTable(request -> request.tableName(tableName)).table();
            if (table.tableStatus() == TableStatus.ACTIVE) {
                return table;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Table " + tableName + " is still " + table.tableStatusAsString()
                        + " after " + timeout + "; check it in the DynamoDB console and call createTable again");
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for table " + tableName + " to become active", e);
            }
        }
    }

    private static void checkKeySchema(TableDescription table, DynamoDbTableLayout layout) {
        String partitionKey = null;
        String sortKey = null;
        for (KeySchemaElement element : table.keySchema()) {
            if (element.keyType() == KeyType.HASH) {
                partitionKey = element.attributeName();
            } else if (element.keyType() == KeyType.RANGE) {
                sortKey = element.attributeName();
            }
        }

        if (!layout.partitionKey().equals(partitionKey) || !Objects.equals(layout.sortKey(), sortKey)) {
            throw new IllegalStateException("Table " + table.tableName() + " exists with partition key " + partitionKey
                    + " and sort key " + (sortKey == null ? "none" : sortKey) + ", but the layout expects partition key "
                    + layout.partitionKey() + " and sort key " + (layout.hasSortKey() ? layout.sortKey() : "none")
                    + "; use another table name or a layout that matches the table");
        }
    }

    private static TableSetupResult enableTtl(DynamoDbClient client, String tableName, String ttlAttribute, boolean created) {
        TimeToLiveDescription current;
        try {
            current = client.describeTimeToLive(request -> request.tableName(tableName)).timeToLiveDescription();
        } catch (AwsServiceException e) {
            if (isUnsupported(e)) {
                return ttlNotSupported(tableName, ttlAttribute, created, e);
            }
            throw e;
        }

        TimeToLiveStatus status = current == null ? null : current.timeToLiveStatus();
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            if (ttlAttribute.equals(current.attributeName())) {
                return new TableSetupResult(tableName, created, TtlSetup.ALREADY_ENABLED, "Table " + tableName
                        + " is ready; TTL on attribute " + ttlAttribute + " was already " + status);
            }
            return new TableSetupResult(tableName, created, TtlSetup.ENABLED_ON_OTHER_ATTRIBUTE, "Table " + tableName
                    + " has TTL on attribute " + current.attributeName() + ", not on " + ttlAttribute + ", so DynamoDB will"
                    + " not delete expired idempotency records. A table has one TTL attribute: point the layout's ttl at "
                    + current.attributeName() + ", or use a table of its own");
        }

        try {
            client.updateTimeToLive(request -> request.tableName(tableName)
                    .timeToLiveSpecification(spec -> spec.enabled(true).attributeName(ttlAttribute)));
        } catch (AwsServiceException e) {
            if (isUnsupported(e)) {
                return ttlNotSupported(tableName, ttlAttribute, created, e);
            }
            throw e;
        }
        return new TableSetupResult(tableName, created, TtlSetup.ENABLED, "Table " + tableName + " is ready; TTL is"
                + " being enabled on attribute " + ttlAttribute + ", which DynamoDB may take up to an hour to finish");
    }

    /** Tells whether the endpoint lacks a TTL operation, as emulators such as dynalite do. */
    private static boolean isUnsupported(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return "UnknownOperationException".equals(code) || e.statusCode() == 501;
    }

    private static TableSetupResult ttlNotSupported(String tableName, String ttlAttribute, boolean created,
                                                    AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
        return new TableSetupResult(tableName, created, TtlSetup.NOT_SUPPORTED, "Table " + tableName + " is ready,"
                + " but this endpoint does not support the TTL API (" + code + ", request id " + e.requestId() + "), so"
                + " expired records stay in the table. The store still treats them as absent. On real DynamoDB, enable"
                + " TTL on attribute " + ttlAttribute);
    }

    /** The outcome of {@link #createTable} for a table's TTL setting. */
    public enum TtlSetup {
        /** TTL was off and is now being enabled on the layout's TTL attribute. */
        ENABLED,
        /** TTL was already enabled, or being enabled, on the layout's TTL attribute. */
        ALREADY_ENABLED,
        /** TTL is enabled on another attribute; expired records will not be deleted. */
        ENABLED_ON_OTHER_ATTRIBUTE,
        /** The endpoint has no TTL API, as with dynalite; expired records stay until deleted otherwise. */
        NOT_SUPPORTED
    }

    /**
     * The outcome of {@link #createTable}.
     *
     * @param tableName the table
     * @param created   whether this call created the table; {@code false} when it existed
     * @param ttl       what happened to TTL
     * @param message   a sentence for logs and operators that states what was done and what is left to do
     */
    public record TableSetupResult(String tableName, boolean created, TtlSetup ttl, String message) {
    }
}
