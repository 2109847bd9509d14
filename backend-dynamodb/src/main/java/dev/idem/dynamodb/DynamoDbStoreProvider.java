package dev.idem.dynamodb;

import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.IdempotencyStoreProvider;
import dev.idem.spi.StoreConfig;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Provides the DynamoDB store under the name {@code dynamodb}. Settings, each read from the
 * system property {@code idem.NAME} or the environment variable {@code IDEM_NAME}:
 * <ul>
 *   <li>{@code dynamodb.table} ({@code IDEM_DYNAMODB_TABLE}): the table name; required.</li>
 *   <li>{@code dynamodb.region} ({@code IDEM_DYNAMODB_REGION}): the AWS region, such as
 *       {@code eu-west-1}; the SDK's default region chain ({@code AWS_REGION} in Lambda) when unset.</li>
 *   <li>{@code dynamodb.endpoint} ({@code IDEM_DYNAMODB_ENDPOINT}): an endpoint URL, such as
 *       {@code http://127.0.0.1:8000} for a local server; the region's endpoint when unset.</li>
 * </ul>
 * Credentials come from the SDK's default chain. The store makes its own client and closes it
 * on {@code close()}.
 */
public final class DynamoDbStoreProvider implements IdempotencyStoreProvider {

    public static final String NAME = "dynamodb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IdempotencyStore create(StoreConfig config) {
        DynamoDbIdempotencyStore.Builder builder = DynamoDbIdempotencyStore.builder()
                .tableName(config.require("dynamodb.table"));
        config.get("dynamodb.region").ifPresent(region -> builder.region(Region.of(region)));
        config.get("dynamodb.endpoint").ifPresent(endpoint -> builder.endpointOverride(endpoint(endpoint)));
        return builder.build();
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("Invalid setting dynamodb.endpoint: '" + value + "' is not an absolute"
                        + " URL; use a form such as http://127.0.0.1:8000");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid setting dynamodb.endpoint: '" + value + "' is not a URL ("
                    + e.getMessage() + "); use a form such as http://127.0.0.1:8000", e);
        }
    }
}
