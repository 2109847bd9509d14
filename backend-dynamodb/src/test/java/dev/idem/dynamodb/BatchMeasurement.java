package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures {@code claimAll} of fresh keys against a DynamoDB endpoint: one key at a time, on the
 * thread pool at several concurrency limits, and on the async client; and checks whether the
 * endpoint has PartiQL's {@code BatchExecuteStatement}. Not a test: run it with
 * {@code scripts/measure-batches.sh}.
 *
 * <p>Arguments: {@code ENDPOINT KEYS ROUNDS}.
 */
public final class BatchMeasurement {

    private BatchMeasurement() {
    }

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        int keys = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);

        try (DynamoDbClient client = TestDynamoDb.clientBuilder(endpoint).build();
             DynamoDbAsyncClient asyncClient = DynamoDbAsyncClient.builder()
                     .endpointOverride(endpoint)
                     .region(TestDynamoDb.REGION)
                     .credentialsProvider(TestDynamoDb.CREDENTIALS)
                     .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                     .build()) {
            String table = "idem-batch-measure-" + Long.toHexString(System.nanoTime());
            DynamoDbTables.createTable(client, table);
            reportPartiQl(client, table);

            for (int round = 1; round <= rounds; round++) {
                measure("one at a time", keys, round, requests -> {
                    try (DynamoDbIdempotencyStore store = DynamoDbIdempotencyStore.builder(client).tableName(table).build()) {
                        for (ClaimRequest request : requests) {
                            store.claim(request);
                        }
                    }
                });
                for (int concurrency : new int[] {4, 16, 32}) {
                    measure("pool, " + concurrency + " at once", keys, round, requests -> {
                        try (DynamoDbIdempotencyStore store = DynamoDbIdempotencyStore.builder(client).tableName(table)
                                .batchConcurrency(concurrency).build()) {
                            store.claimAll(requests);
                        }
                    });
                    measure("async CRT, " + concurrency + " at once", keys, round, requests -> {
                        try (DynamoDbIdempotencyStore store = DynamoDbIdempotencyStore.builder(client).tableName(table)
                                .asyncClient(asyncClient).batchConcurrency(concurrency).build()) {
                            store.claimAll(requests);
                        }
                    });
                }
            }
        }
    }

    private interface Batch {
        void run(List<ClaimRequest> requests);
    }

    private static void measure(String name, int keys, int round, Batch batch) {
        String prefix = Long.toHexString(System.nanoTime()) + "-";
        List<ClaimRequest> requests = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            requests.add(new ClaimRequest(prefix + i, null, 60_000, 60_000, "measure"));
        }

        long started = System.nanoTime();
        batch.run(requests);
        double millis = (System.nanoTime() - started) / 1e6;

        System.out.printf(Locale.ROOT, "round %d  %-22s %5d claims in %7.0f ms = %6.0f claims/s%n",
                round, name, keys, millis, keys / (millis / 1000));
    }

    private static void reportPartiQl(DynamoDbClient client, String table) {
        try {
            client.batchExecuteStatement(request -> request.statements(BatchStatementRequest.builder()
                    .statement("INSERT INTO \"" + table + "\" VALUE {'id': 'partiql-probe'}")
                    .build()));
            System.out.println("BatchExecuteStatement: supported by this endpoint");
        } catch (AwsServiceException e) {
            System.out.println("BatchExecuteStatement: not supported by this endpoint ("
                    + e.awsErrorDetails().errorCode() + ", HTTP " + e.statusCode() + ")");
        }
    }
}
