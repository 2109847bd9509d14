package dev.idem.dynamodb;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.Map;

/**
 * Fills in the item that DynamoDB returns in a {@link ConditionalCheckFailedException} when the
 * request asked for {@code ALL_OLD}, which dynalite leaves out. It reads the item from the same
 * dynalite right after the refusal, so the store's path for a refusal that carries the item runs
 * against the server's real data. Tests use it one request at a time, so no write falls between
 * the refusal and the read.
 */
final class AllOldEmulation implements ExecutionInterceptor {

    private final DynamoDbClient reader;

    AllOldEmulation(DynamoDbClient reader) {
        this.reader = reader;
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        Throwable failure = context.exception();
        if (!(failure instanceof ConditionalCheckFailedException refused) || refused.hasItem()
                || !(context.request() instanceof UpdateItemRequest update)
                || update.returnValuesOnConditionCheckFailure() != ReturnValuesOnConditionCheckFailure.ALL_OLD) {
            return failure;
        }

        Map<String, AttributeValue> item = reader.getItem(request -> request.tableName(update.tableName())
                .key(update.key()).consistentRead(true)).item();
        return refused.toBuilder().item(item).build();
    }
}
