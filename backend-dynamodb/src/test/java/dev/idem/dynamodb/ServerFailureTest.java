package dev.idem.dynamodb;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.testkit.fault.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A server that fails: a table that does not exist, a dynalite process killed mid-test, and a
 * TCP proxy that loses responses or cuts connections. Each test starts its own dynalite, so
 * that killing it leaves the other tests' server alone. Clients make two attempts per call with
 * a one-second attempt timeout, so that the SDK's retries end quickly.
 */
class ServerFailureTest {

    private static final long MINUTE = 60_000;
    private static final String TABLE = "idem-failure";

    private DynaliteServer server;
    private DynamoDbClient admin;
    private TcpProxy proxy;
    private DynamoDbClient client;
    private DynamoDbIdempotencyStore store;

    @BeforeEach
    void startServer() throws IOException {
        server = DynaliteServer.start();
        admin = TestDynamoDb.clientBuilder(server.endpoint()).build();
        DynamoDbTables.createTable(admin, TABLE);

        proxy = TcpProxy.start("127.0.0.1", server.endpoint().getPort());
        client = TestDynamoDb.clientBuilder(URI.create("http://" + proxy.host() + ":" + proxy.port()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
                        .apiCallAttemptTimeout(Duration.ofSeconds(1))
                        .build())
                .build();
        store = DynamoDbIdempotencyStore.builder(client).tableName(TABLE).build();
    }

    @AfterEach
    void stopServer() {
        store.close();
        client.close();
        proxy.close();
        admin.close();
        server.close();
    }

    @Test
    void missingTableNamesErrorCode() {
        DynamoDbIdempotencyStore missing = DynamoDbIdempotencyStore.builder(admin).tableName("idem-no-such-table").build();

        assertThatThrownBy(() -> missing.claim(claim("missing-table")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("dynamodb claim failed for key missing-table")
                .hasMessageContaining("ResourceNotFoundException (HTTP 400, request id ")
                .hasMessageContaining("create the table with DynamoDbTables.createTable");
    }

    @Test
    void killedServerRaisesBackendException() {
        assertThat(store.claim(claim("killed-before"))).isInstanceOf(ClaimResult.Acquired.class);

        server.kill();

        assertThatThrownBy(() -> store.claim(claim("killed-after")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("dynamodb claim failed for key killed-after")
                .hasMessageContaining("did not complete")
                .hasCauseInstanceOf(SdkClientException.class);
    }

    @Test
    void lostResponsesTimeOut() {
        store.get("warm-up");
        proxy.dropResponses(true);

        assertThatThrownBy(() -> store.claim(claim("lost-response")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("dynamodb claim failed for key lost-response")
                .hasMessageContaining("did not complete");
        assertThat(rawItem("lost-response")).as("the claim that took effect on the server").isNotEmpty();
    }

    @Test
    void retriedClaimRecognizesOwnWrite() throws Exception {
        store.get("warm-up");
        proxy.dropResponses(true);
        CompletableFuture<ClaimResult> claim = CompletableFuture.supplyAsync(() -> store.claim(claim("retried-claim")));
        await().atMost(Duration.ofSeconds(5)).until(() -> !rawItem("retried-claim").isEmpty());

        proxy.dropResponses(false);
        proxy.resetConnections();
        ClaimResult result = claim.get(10, TimeUnit.SECONDS);

        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(((ClaimResult.Acquired) result).fencingToken())
                .isEqualTo(Long.parseLong(rawItem("retried-claim").get("fencingToken").n()));
    }

    @Test
    void retriedCompleteRecognizesOwnWrite() throws Exception {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(claim("retried-complete"));
        proxy.dropResponses(true);
        CompletableFuture<CompleteResult> complete = CompletableFuture.supplyAsync(() -> store.complete(
                new CompleteRequest("retried-complete", holder.fencingToken(), new byte[] {7}, MINUTE)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "COMPLETED".equals(rawItem("retried-complete").get("status").s()));

        proxy.dropResponses(false);
        proxy.resetConnections();
        CompleteResult result = complete.get(10, TimeUnit.SECONDS);

        assertThat(result).isInstanceOf(CompleteResult.Stored.class);
    }

    @Test
    void repeatedCompleteStillRejected() {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(claim("repeated-complete"));
        store.complete(new CompleteRequest("repeated-complete", holder.fencingToken(), new byte[] {7}, MINUTE));

        CompleteResult again = store.complete(
                new CompleteRequest("repeated-complete", holder.fencingToken(), new byte[] {7}, MINUTE));

        assertThat(again).isInstanceOf(CompleteResult.Rejected.class);
    }

    @Test
    void refusedConnectionsRaiseBackendException() {
        proxy.resetConnections();
        proxy.refuseConnections();

        assertThatThrownBy(() -> store.claim(claim("refused")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("Check the endpoint, the network and the credentials");
        assertThat(rawItem("refused")).isEmpty();
    }

    private Map<String, AttributeValue> rawItem(String key) {
        return admin.getItem(request -> request.tableName(TABLE).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(key)))).item();
    }

    private static ClaimRequest claim(String key) {
        return new ClaimRequest(key, null, MINUTE, MINUTE, "failure-test");
    }
}
