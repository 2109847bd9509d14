package dev.idem.lambda;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of every record of a batch, in the order of the event, and the item identifiers
 * that the partial batch response names for retry.
 *
 * @param <R> the record type
 */
public final class BatchResult<R> {

    private final List<RecordResult<R>> records;

    BatchResult(List<RecordResult<R>> records) {
        this.records = List.copyOf(records);
    }

    /** Returns the outcome of each record, in the order of the event. */
    public List<RecordResult<R>> records() {
        return records;
    }

    /**
     * Returns the item identifiers of the records to redeliver, in the order of the event. For streams,
     * Lambda restarts from the lowest of them, which is the first.
     */
    public List<String> itemIdentifiersToRetry() {
        List<String> identifiers = new ArrayList<>();
        for (RecordResult<R> result : records) {
            if (result.isRetry()) {
                identifiers.add(result.itemIdentifier());
            }
        }
        return identifiers;
    }

    /** Returns the number of records with {@code outcome}. */
    public int count(RecordOutcome outcome) {
        int count = 0;
        for (RecordResult<R> result : records) {
            if (result.outcome() == outcome) {
                count++;
            }
        }
        return count;
    }

    /** Tells whether no record is reported for retry. */
    public boolean allSucceeded() {
        return records.stream().noneMatch(RecordResult::isRetry);
    }

    @Override
    public String toString() {
        return "BatchResult[records=" + records.size() + ", retry=" + itemIdentifiersToRetry() + "]";
    }
}
