package dev.idem.dynamodb;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The DynamoDB endpoint the tests use: {@code IDEM_TEST_DYNAMODB_ENDPOINT} when set, otherwise
 * one dynalite server for the whole test JVM, started on first use. Clients use fake static
 * credentials and an explicit region, so the SDK never looks for credentials or a region on the
 * network, and few retries, so that a test of a dead server fails fast.
 */
final class TestDynamoDb {

    static final String ENDPOINT_VARIABLE = "IDEM_TEST_DYNAMODB_ENDPOINT";
    static final Region REGION = Region.US_EAST_1;
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("idem-test", "idem-test-secret"));

    private static URI endpoint;
    private static DynamoDbClient client;

    private TestDynamoDb() {
    }

    /** Returns the endpoint, starting dynalite on first use when no endpoint is configured. */
    static synchronized URI endpoint() {
        if (endpoint == null) {
            String configured = System.getenv(ENDPOINT_VARIABLE);
            endpoint = configured != null && !configured.isBlank()
                    ? URI.create(configured.trim())
                    : DynaliteServer.start().endpoint();
        }
        return endpoint;
    }

    /** Returns one client for the shared endpoint; tests never close it. */
    static synchronized DynamoDbClient client() {
        if (client == null) {
            client = clientBuilder(endpoint()).build();
        }
        return client;
    }

    /** Returns a client builder for {@code endpoint} with test credentials, two attempts per call and short timeouts. */
    static software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder clientBuilder(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(fastFailing());
    }

    /** Client settings that give up after two attempts and ten seconds, so that outage tests end quickly. */
    static ClientOverrideConfiguration fastFailing() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
                .apiCallAttemptTimeout(Duration.ofSeconds(10))
                .apiCallTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** Creates a table with a unique name in {@code layout} and returns its name. */
    static String createTable(String purpose, DynamoDbTableLayout layout) {
        String name = "idem-" + purpose.toLowerCase(Locale.ROOT) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        DynamoDbTables.createTable(client(), name, layout);
        return name;
    }
}
