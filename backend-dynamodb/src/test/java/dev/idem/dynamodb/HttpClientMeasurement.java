package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Measures one SDK HTTP client against a DynamoDB endpoint, in a fresh JVM per run, so that the
 * start-up figures include class loading as a Lambda cold start would. Not a test: run it with
 * {@code scripts/measure-http-clients.sh}, which starts dynalite and runs every client in turn.
 *
 * <p>Arguments: {@code setup ENDPOINT TABLE} creates the table; {@code measure CLIENT ENDPOINT
 * TABLE CALLS} prints one line of figures for CLIENT (apache, apache5, url-connection or crt).
 */
public final class HttpClientMeasurement {

    private static final int WARM_UP_CALLS = 300;

    private HttpClientMeasurement() {
    }

    public static void main(String[] args) {
        long mainStarted = System.nanoTime();
        long jvmUptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();

        if (args.length == 3 && args[0].equals("setup")) {
            try (DynamoDbClient client = TestDynamoDb.clientBuilder(URI.create(args[1])).build()) {
                DynamoDbTables.createTable(client, args[2]);
            }
            return;
        }
        if (args.length != 5 || !args[0].equals("measure")) {
            throw new IllegalArgumentException("Usage: setup ENDPOINT TABLE | measure CLIENT ENDPOINT TABLE CALLS");
        }
        String clientName = args[1];
        URI endpoint = URI.create(args[2]);
        String table = args[3];
        int calls = Integer.parseInt(args[4]);

        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(TestDynamoDb.REGION)
                .credentialsProvider(TestDynamoDb.CREDENTIALS)
                .httpClient(httpClient(clientName))
                .build();
        long built = System.nanoTime();

        GetItemRequest get = GetItemRequest.builder()
                .tableName(table)
                .key(Map.of("id", AttributeValue.fromS("measure-absent-key")))
                .consistentRead(true)
                .build();
        client.getItem(get);
        long firstCallDone = System.nanoTime();

        for (int i = 0; i < WARM_UP_CALLS; i++) {
            client.getItem(get);
        }
        long[] getMicros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long started = System.nanoTime();
            client.getItem(get);
            getMicros[i] = (System.nanoTime() - started) / 1_000;
        }

        DynamoDbIdempotencyStore store = DynamoDbIdempotencyStore.builder(client).tableName(table).build();
        String prefix = clientName + "-" + Long.toHexString(System.nanoTime()) + "-";
        long[] claimMicros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long started = System.nanoTime();
            store.claim(new ClaimRequest(prefix + i, null, 60_000, 60_000, "measure"));
            claimMicros[i] = (System.nanoTime() - started) / 1_000;
        }

        System.out.printf(Locale.ROOT, "%-15s jvm-to-main %4d ms | build %5.0f ms | first call %5.0f ms"
                        + " | GetItem p50 %5d us p90 %5d us p99 %5d us | claim p50 %5d us p90 %5d us p99 %5d us%n",
                clientName, jvmUptimeAtMain, (built - mainStarted) / 1e6, (firstCallDone - built) / 1e6,
                percentile(getMicros, 50), percentile(getMicros, 90), percentile(getMicros, 99),
                percentile(claimMicros, 50), percentile(claimMicros, 90), percentile(claimMicros, 99));
        client.close();
    }

    private static SdkHttpClient httpClient(String name) {
        switch (name) {
            case "apache":
                return ApacheHttpClient.builder().build();
            case "apache5":
                return Apache5HttpClient.builder().build();
            case "url-connection":
                return UrlConnectionHttpClient.builder().build();
            case "crt":
                return AwsCrtHttpClient.builder().build();
            default:
                throw new IllegalArgumentException("Unknown HTTP client " + name
                        + "; use apache, apache5, url-connection or crt");
        }
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }
}
