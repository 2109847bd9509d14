package dev.idem.lambda;

import java.util.List;

/** The reader of one kind of event record for the batch engine: its identifier, default key and payload, and order. */
interface RecordSource<R> {

    /** A name for logs and messages, such as "SQS message". */
    String recordName();

    /** The name of the field that the partial batch response reports, such as "messageId". */
    String identifierName();

    /** The item identifier that the partial batch response reports, or {@code null} when the record has none. */
    String itemIdentifier(R record);

    /** The default idempotency key, or {@code null} when the record has none. */
    String defaultKey(R record);

    /** The default payload to fingerprint, or {@code null} to skip the payload check. */
    Object defaultPayload(R record);

    /** Tells whether the batch must be processed in order, stopping at the first failure. */
    boolean ordered(List<R> records);
}
