package dev.idem.lambda;

/**
 * The outcome of one record of a batch.
 *
 * @param record         the record as the event delivered it
 * @param itemIdentifier the id the partial batch response uses: the SQS message id or the stream sequence number
 * @param key            the full storage key, namespace included, or {@code null} when no valid key was found
 * @param outcome        what happened to the record
 * @param error          the handler's exception, the reason for an invalid key or mismatch, a
 *                       completion failure, or {@code null}
 * @param <R>            the record type
 */
public record RecordResult<R>(R record, String itemIdentifier, String key, RecordOutcome outcome, Throwable error) {

    /** Tells whether the record is named in the partial batch response. */
    public boolean isRetry() {
        return outcome.isRetry();
    }

    @Override
    public String toString() {
        // The record is left out on purpose: message bodies may hold personal data.
        return "RecordResult[itemIdentifier=" + itemIdentifier + ", key=" + key + ", outcome=" + outcome
                + (error == null ? "" : ", error=" + error) + "]";
    }
}
