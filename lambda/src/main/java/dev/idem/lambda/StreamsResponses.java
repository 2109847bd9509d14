package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import java.util.ArrayList;
import java.util.List;

/** Builds the partial batch response of Kinesis and DynamoDB Streams batches. */
final class StreamsResponses {

    private StreamsResponses() {
    }

    /**
     * Names every record to retry. Lambda uses the lowest sequence number as the checkpoint, so
     * naming the records after the first one changes nothing, but it keeps the response honest
     * about which records did not complete.
     */
    static StreamsEventResponse of(BatchResult<?> result) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String identifier : result.itemIdentifiersToRetry()) {
            failures.add(new StreamsEventResponse.BatchItemFailure(identifier));
        }
        return new StreamsEventResponse(failures);
    }
}
