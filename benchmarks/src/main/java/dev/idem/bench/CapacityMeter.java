package dev.idem.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.concurrent.atomic.DoubleAdder;

/**
 * An SDK interceptor that requests the consumed capacity of each DynamoDB item request and adds
 * it up. The store does not report capacity itself, so the meter sets
 * {@code ReturnConsumedCapacity = TOTAL} on the store's requests and reads the responses.
 *
 * <p>Note: a write refused by its condition (a duplicate claim) fails with an error that carries
 * no consumed capacity, so those writes are missing from the sum although DynamoDB bills them.
 */
public final class CapacityMeter implements ExecutionInterceptor {

    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof UpdateItemRequest update && update.returnConsumedCapacity() == null) {
            return update.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof PutItemRequest put && put.returnConsumedCapacity() == null) {
            return put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof DeleteItemRequest delete && delete.returnConsumedCapacity() == null) {
            return delete.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof GetItemRequest get && get.returnConsumedCapacity() == null) {
            return get.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof UpdateItemResponse update) {
            addWrite(update.consumedCapacity());
        } else if (response instanceof PutItemResponse put) {
            addWrite(put.consumedCapacity());
        } else if (response instanceof DeleteItemResponse delete) {
            addWrite(delete.consumedCapacity());
        } else if (response instanceof GetItemResponse get && get.consumedCapacity() != null
                && get.consumedCapacity().capacityUnits() != null) {
            readUnits.add(get.consumedCapacity().capacityUnits());
        }
    }

    /** Write request units consumed by successful writes since creation or the last {@link #reset()}. */
    public double writeUnits() {
        return writeUnits.sum();
    }

    /** Read request units consumed since creation or the last {@link #reset()}. */
    public double readUnits() {
        return readUnits.sum();
    }

    public void reset() {
        writeUnits.reset();
        readUnits.reset();
    }

    private void addWrite(ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            writeUnits.add(capacity.capacityUnits());
        }
    }
}
