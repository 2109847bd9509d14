package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;

import java.util.List;
import java.util.function.Function;

/**
 * Key functions for common single events. Each returns {@code null} when the event lacks the
 * fields it needs, which {@link EventIdempotency} rejects rather than sharing a key.
 */
public final class EventKeys {

    private EventKeys() {
    }

    /** Returns the EventBridge event id, which is unique per event and stays the same when EventBridge retries a delivery. */
    public static Function<ScheduledEvent, String> eventBridge() {
        return ScheduledEvent::getId;
    }

    /** Returns the SNS message id, or the ids of all records joined with commas when a notification has several. */
    public static Function<SNSEvent, String> sns() {
        return event -> {
            List<SNSEvent.SNSRecord> records = event.getRecords();
            if (records == null || records.isEmpty()) {
                return null;
            }
            StringBuilder key = new StringBuilder();
            for (SNSEvent.SNSRecord record : records) {
                String messageId = record == null || record.getSNS() == null ? null : record.getSNS().getMessageId();
                if (messageId == null || messageId.isBlank()) {
                    return null;
                }
                key.append(key.length() == 0 ? "" : ",").append(messageId);
            }
            return key.toString();
        };
    }

    /**
     * Returns the bucket, object key and sequencer of each record, as {@code bucket/key@sequencer},
     * joined with commas. S3 sets a sequencer on object creation and deletion events, and a later
     * change to the same object gets a higher one, so a redelivered notification gets the same key
     * and a new change gets a new key. Events without a sequencer get {@code null}.
     */
    public static Function<S3Event, String> s3() {
        return event -> {
            List<S3EventNotification.S3EventNotificationRecord> records = event.getRecords();
            if (records == null || records.isEmpty()) {
                return null;
            }
            StringBuilder key = new StringBuilder();
            for (S3EventNotification.S3EventNotificationRecord record : records) {
                String part = s3Part(record);
                if (part == null) {
                    return null;
                }
                key.append(key.length() == 0 ? "" : ",").append(part);
            }
            return key.toString();
        };
    }

    private static String s3Part(S3EventNotification.S3EventNotificationRecord record) {
        S3EventNotification.S3Entity s3 = record == null ? null : record.getS3();
        if (s3 == null || s3.getBucket() == null || s3.getObject() == null) {
            return null;
        }
        String bucket = s3.getBucket().getName();
        String objectKey = s3.getObject().getKey();
        String sequencer = s3.getObject().getSequencer();
        if (bucket == null || objectKey == null || sequencer == null || sequencer.isEmpty()) {
            return null;
        }
        return bucket + "/" + objectKey + "@" + sequencer;
    }
}
