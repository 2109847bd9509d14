package dev.idem.lambda;

/**
 * The work for one record of a batch. A handler that returns normally has done its work; the
 * record is then completed and never runs again while its record lives. A handler that throws
 * has its claim released, and the record is reported for retry.
 *
 * @param <R> the record type, such as {@code SQSEvent.SQSMessage}
 */
@FunctionalInterface
public interface RecordHandler<R> {

    /** Processes one record; throw to have it redelivered. */
    void handle(R record) throws Exception;
}
