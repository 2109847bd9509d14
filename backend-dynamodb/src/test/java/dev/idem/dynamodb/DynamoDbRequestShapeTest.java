package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The requests the store sends, recorded by an SDK interceptor on their way to dynalite: one
 * conditional update per operation, {@code ALL_OLD} on refusal so that real DynamoDB returns the
 * current item, and the strongly consistent read that replaces it on dynalite, which ignores
 * {@code ReturnValuesOnConditionCheckFailure}.
 */
class DynamoDbRequestShapeTest {

    private static final long MINUTE = 60_000;

    private static RecordingInterceptor recorder;
    private static DynamoDbClient client;
    private static DynamoDbIdempotencyStore store;

    @BeforeAll
    static void createStore() {
        recorder = new RecordingInterceptor();
        client = TestDynamoDb.clientBuilder(TestDynamoDb.endpoint())
                .overrideConfiguration(TestDynamoDb.fastFailing().toBuilder().addExecutionInterceptor(recorder).build())
                .build();
        String table = TestDynamoDb.createTable("shape", DynamoDbTableLayout.defaults());
        store = DynamoDbIdempotencyStore.builder(client).tableName(table).build();
    }

    @AfterAll
    static void closeClient() {
        store.close();
        client.close();
    }

    @BeforeEach
    void clearRecorder() {
        recorder.clear();
    }

    @Test
    void claimIsOneUpdateAskingForOldItem() {
        ClaimResult result = store.claim(claim("shape-claim"));

        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
        UpdateItemRequest update = (UpdateItemRequest) recorder.requests().get(0);
        assertThat(update.returnValues()).isEqualTo(ReturnValue.ALL_OLD);
        assertThat(update.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        assertThat(update.conditionExpression()).contains("attribute_not_exists(#pk)");
        assertThat(update.updateExpression()).contains("if_not_exists(#tok, :seed) + :one");
    }

    @Test
    void duplicateFallsBackToConsistentRead() {
        store.claim(claim("shape-duplicate"));
        recorder.clear();

        ClaimResult duplicate = store.claim(claim("shape-duplicate"));

        assertThat(duplicate).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest", "GetItemRequest");
        UpdateItemRequest update = (UpdateItemRequest) recorder.requests().get(0);
        assertThat(update.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        assertThat(recorder.requests().get(1)).isInstanceOfSatisfying(
                GetItemRequest.class,
                get -> assertThat(get.consistentRead()).isTrue());
    }

    @Test
    void completeIsOneConditionalUpdate() {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(claim("shape-complete"));
        recorder.clear();

        CompleteResult result = store.complete(new CompleteRequest("shape-complete", holder.fencingToken(),
                "done".getBytes(StandardCharsets.UTF_8), MINUTE));

        assertThat(result).isInstanceOf(CompleteResult.Stored.class);
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
        UpdateItemRequest update = (UpdateItemRequest) recorder.requests().get(0);
        assertThat(update.conditionExpression()).isEqualTo("#st = :inProgress AND #tok = :token AND #exp > :now");
        assertThat(update.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    }

    @Test
    void staleCompleteFallsBackToConsistentRead() {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(claim("shape-stale"));
        recorder.clear();

        CompleteResult result = store.complete(new CompleteRequest("shape-stale", holder.fencingToken() + 1,
                "late".getBytes(StandardCharsets.UTF_8), MINUTE));

        assertThat(result).isInstanceOf(CompleteResult.Rejected.class);
        assertThat(((CompleteResult.Rejected) result).current().fencingToken()).isEqualTo(holder.fencingToken());
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest", "GetItemRequest");
    }

    @Test
    void releaseIsOneConditionalUpdate() {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(claim("shape-release"));
        recorder.clear();

        boolean released = store.release("shape-release", holder.fencingToken());

        assertThat(released).isTrue();
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
    }

    @Test
    void extendWithinRetentionIsOneUpdate() {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(
                new ClaimRequest("shape-extend", null, MINUTE, 10 * MINUTE, "shape-test"));
        recorder.clear();

        ExtendResult result = store.extend("shape-extend", holder.fencingToken(), 2 * MINUTE);

        assertThat(result).isInstanceOf(ExtendResult.Extended.class);
        assertThat(recorder.requestTypes()).containsExactly("UpdateItemRequest");
    }

    @Test
    void extendPastRetentionTakesSecondUpdate() {
        ClaimResult.Acquired holder = (ClaimResult.Acquired) store.claim(claim("shape-extend-past"));
        recorder.clear();

        ExtendResult result = store.extend("shape-extend-past", holder.fencingToken(), 5 * MINUTE);

        assertThat(result).isInstanceOf(ExtendResult.Extended.class);
        List<String> types = recorder.requestTypes();
        assertThat(types).containsExactly("UpdateItemRequest", "GetItemRequest", "UpdateItemRequest");
        assertThat(((UpdateItemRequest) recorder.requests().get(2)).updateExpression()).contains("#exp = :lease");
    }

    @Test
    void getIsConsistentRead() {
        store.get("shape-get");

        assertThat(recorder.requests()).singleElement().isInstanceOfSatisfying(
                GetItemRequest.class,
                get -> assertThat(get.consistentRead()).isTrue());
    }

    private static ClaimRequest claim(String key) {
        return new ClaimRequest(key, "sha256:shape", MINUTE, MINUTE, "shape-test");
    }
}
