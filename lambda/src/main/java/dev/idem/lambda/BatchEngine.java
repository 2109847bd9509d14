package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.Context;

import dev.idem.BackendException;
import dev.idem.ClaimOutcome;
import dev.idem.Completion;
import dev.idem.Idem;
import dev.idem.Lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The batch algorithm that the SQS, Kinesis and DynamoDB Streams processors share.
 *
 * <ol>
 *   <li>Reads every record's item identifier, key and payload. A record without an identifier
 *       fails the whole invocation, because a partial batch response cannot name it.</li>
 *   <li>Claims the keys of the whole batch with one {@link Idem#claimAll}.</li>
 *   <li>Runs the handler for each acquired record, in order. Replays of completed records count
 *       as successes. In-flight duplicates, mismatches, invalid keys and handler failures are
 *       reported for retry; a failed record's claim is released.</li>
 *   <li>In an ordered batch (a FIFO queue, a stream) the first record reported for retry stops
 *       the batch: every later record is reported too, and their claims are released, so that
 *       no record runs before an earlier one that failed.</li>
 *   <li>Once less than the lease margin is left in the invocation, no new record starts: the
 *       rest are released and reported, as {@link RecordOutcome#NOT_RUN}.</li>
 *   <li>Completes the records that ran with one {@link Idem#completeAll}.</li>
 * </ol>
 */
final class BatchEngine<R> {

    private static final Logger log = LoggerFactory.getLogger(BatchEngine.class);

    private final Idem idem;
    private final RecordSource<R> source;
    private final Function<? super R, String> keyFunction;
    private final Function<? super R, ?> payloadFunction;
    private final InvocationLease lease;

    BatchEngine(Idem idem, RecordSource<R> source, Function<? super R, String> keyFunction,
                Function<? super R, ?> payloadFunction, InvocationLease lease) {
        this.idem = idem;
        this.source = source;
        this.keyFunction = keyFunction;
        this.payloadFunction = payloadFunction;
        this.lease = lease;
    }

    /** One record on its way through the batch. */
    private static final class Item<R> {
        final R record;
        final String itemIdentifier;
        String key;
        String storageKey;
        Object payload;
        Exception invalid;
        ClaimOutcome claim;
        RecordResult<R> result;

        Item(R record, String itemIdentifier) {
            this.record = record;
            this.itemIdentifier = itemIdentifier;
        }

        void finish(RecordOutcome outcome, Throwable error) {
            result = new RecordResult<>(record, itemIdentifier, storageKey, outcome, error);
        }
    }

    BatchResult<R> process(List<R> records, Context context, RecordHandler<? super R> handler) {
        Objects.requireNonNull(handler, "handler");
        if (records == null || records.isEmpty()) {
            return new BatchResult<>(List.of());
        }

        List<Item<R>> items = readItems(records);
        Idem invocation = lease.apply(idem, context);
        claim(invocation, items);

        List<Item<R>> ran = run(invocation, items, source.ordered(records), lease.cutoff(context), handler);
        complete(invocation, ran);

        List<RecordResult<R>> results = new ArrayList<>(items.size());
        for (Item<R> item : items) {
            results.add(item.result);
        }
        BatchResult<R> result = new BatchResult<>(results);
        log.debug("[{}] processed a batch of {} {}s: {} ran, {} replayed, {} to retry", idem.namespace(),
                items.size(), source.recordName(), result.count(RecordOutcome.EXECUTED),
                result.count(RecordOutcome.REPLAYED), result.itemIdentifiersToRetry().size());
        return result;
    }

    /** Reads identifiers, keys and payloads. An invalid key or payload fails only its record. */
    private List<Item<R>> readItems(List<R> records) {
        List<Item<R>> items = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            R record = records.get(i);
            String identifier = record == null ? null : source.itemIdentifier(record);
            if (identifier == null || identifier.isEmpty()) {
                // Lambda fails the whole batch when a response names an empty or null itemIdentifier,
                // so the batch fails here, before anything is claimed or run.
                throw new IllegalArgumentException("The " + source.recordName() + " at index " + i + " of the batch"
                        + " has no " + source.identifierName() + ", so a partial batch response cannot name it."
                        + " Check that the function receives events from its event source mapping unchanged.");
            }
            items.add(readItem(record, identifier));
        }
        return items;
    }

    private Item<R> readItem(R record, String identifier) {
        Item<R> item = new Item<>(record, identifier);
        try {
            String key = keyFunction.apply(record);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("the key function returned " + (key == null ? "null" : "a blank key"));
            }
            item.storageKey = idem.storageKey(key);
            item.key = key;
            item.payload = payloadFunction.apply(record);
        } catch (RuntimeException e) {
            item.invalid = e;
        }
        return item;
    }

    private void claim(Idem invocation, List<Item<R>> items) {
        List<String> keys = new ArrayList<>(items.size());
        List<Object> payloads = new ArrayList<>(items.size());
        List<Item<R>> claimed = new ArrayList<>(items.size());
        for (Item<R> item : items) {
            if (item.invalid == null) {
                keys.add(item.key);
                payloads.add(item.payload);
                claimed.add(item);
            }
        }
        if (claimed.isEmpty()) {
            return;
        }

        // A backend failure here fails the whole invocation on purpose: nothing has run yet, and
        // the event source redelivers the whole batch.
        List<ClaimOutcome> outcomes = invocation.claimAll(keys, payloads);
        for (int i = 0; i < claimed.size(); i++) {
            claimed.get(i).claim = outcomes.get(i);
        }
    }

    /** Runs the handler for acquired records and returns the items whose handler returned. */
    private List<Item<R>> run(Idem invocation, List<Item<R>> items, boolean ordered, Instant cutoff,
                              RecordHandler<? super R> handler) {
        List<Item<R>> ran = new ArrayList<>();
        Item<R> stoppedAt = null;
        boolean outOfTime = false;

        for (Item<R> item : items) {
            boolean acquired = item.claim instanceof ClaimOutcome.Acquired;
            if (stoppedAt != null || (outOfTime && acquired)) {
                skip(invocation, item);
                continue;
            }
            if (acquired && cutoff != null && !lease.clock().instant().isBefore(cutoff)) {
                log.warn("[{}] less than the lease margin of {} is left in the invocation; {} {} and the {}s after it"
                        + " that still had to run are left for retry", idem.namespace(), lease.margin(),
                        source.recordName(), item.itemIdentifier, source.recordName());
                outOfTime = true;
                skip(invocation, item);
                if (ordered) {
                    stoppedAt = item;
                }
                continue;
            }

            decide(invocation, item, handler);
            if (item.result.outcome() == RecordOutcome.EXECUTED) {
                ran.add(item);
            } else if (ordered && item.result.isRetry()) {
                stoppedAt = item;
            }
        }

        if (stoppedAt != null) {
            log.debug("[{}] ordered batch stopped at {} {}; it and every later {} are left for retry",
                    idem.namespace(), source.recordName(), stoppedAt.itemIdentifier, source.recordName());
        }
        return ran;
    }

    /** Settles one record that may still run: replays, reports, or runs its handler. */
    private void decide(Idem invocation, Item<R> item, RecordHandler<? super R> handler) {
        if (item.invalid != null) {
            log.error("[{}] {} {} has no valid idempotency key ({}); it is reported for retry and will reach the"
                    + " dead-letter queue or on-failure destination, because it is never run under a shared key",
                    idem.namespace(), source.recordName(), item.itemIdentifier, item.invalid.getMessage());
            item.finish(RecordOutcome.INVALID_KEY, item.invalid);
            return;
        }

        ClaimOutcome claim = item.claim;
        if (claim instanceof ClaimOutcome.Replay) {
            item.finish(RecordOutcome.REPLAYED, null);
        } else if (claim instanceof ClaimOutcome.InFlight inFlight) {
            log.debug("[{}] {} {} is in flight under key {} for another {} ms; left for redelivery",
                    idem.namespace(), source.recordName(), item.itemIdentifier, item.storageKey,
                    inFlight.retryAfter().toMillis());
            item.finish(RecordOutcome.IN_FLIGHT, null);
        } else if (claim instanceof ClaimOutcome.PayloadMismatch mismatch) {
            log.error("[{}] {} {} reuses key {} with a different payload; it is reported for retry, but retries fail"
                    + " the same way until the first record expires, so it will reach the dead-letter queue or"
                    + " on-failure destination", idem.namespace(), source.recordName(), item.itemIdentifier,
                    item.storageKey);
            item.finish(RecordOutcome.PAYLOAD_MISMATCH, mismatch.error());
        } else {
            runHandler(invocation, item, ((ClaimOutcome.Acquired) claim).lease(), handler);
        }
    }

    private void runHandler(Idem invocation, Item<R> item, Lease held, RecordHandler<? super R> handler) {
        try {
            handler.handle(item.record);
        } catch (Exception e) {
            log.warn("[{}] handler failed for {} {} (key {}); its claim is released and it is left for retry",
                    idem.namespace(), source.recordName(), item.itemIdentifier, item.storageKey, e);
            release(invocation, held, e);
            item.finish(RecordOutcome.FAILED, e);
            return;
        }
        item.finish(RecordOutcome.EXECUTED, null);
    }

    /** Reports a record that does not start, and releases its claim if this invocation acquired one. */
    private void skip(Idem invocation, Item<R> item) {
        if (item.claim instanceof ClaimOutcome.Acquired acquired) {
            release(invocation, acquired.lease(), null);
        }
        item.finish(RecordOutcome.NOT_RUN, item.invalid);
    }

    private void release(Idem invocation, Lease held, Exception failure) {
        try {
            invocation.release(held);
        } catch (BackendException e) {
            // The claim ends with its lease at the latest, so a redelivery after that runs the record.
            if (failure != null) {
                failure.addSuppressed(e);
            }
            log.warn("[{}] could not release key {}; it stays claimed until its lease ends at {}", idem.namespace(),
                    held.key(), held.expiresAt(), e);
        }
    }

    /** Stores the completion of every record that ran, in one store call. */
    private void complete(Idem invocation, List<Item<R>> ran) {
        if (ran.isEmpty()) {
            return;
        }

        // Batch handlers return nothing, so each record stores a null result. The String type only
        // names a codec that exists without Jackson; a null value never reaches it.
        List<Completion<String>> completions = new ArrayList<>(ran.size());
        for (Item<R> item : ran) {
            completions.add(Completion.of(((ClaimOutcome.Acquired) item.claim).lease(), null, String.class));
        }

        try {
            // A lost lease is logged by the core. The record's work is done either way, so it stays a success.
            invocation.completeAll(completions);
        } catch (BackendException e) {
            // The work is done, so the records still count as successes. Reporting them for retry would
            // run them again once their leases end, which is the duplicate this library exists to avoid.
            log.warn("[{}] the handlers of {} {}s ran but their completion could not be stored; they are reported"
                    + " as successes, and a duplicate that arrives after their leases end runs again: {}",
                    idem.namespace(), ran.size(), source.recordName(), Arrays.toString(identifiers(ran)), e);
            for (Item<R> item : ran) {
                item.finish(RecordOutcome.EXECUTED, e);
            }
        }
    }

    private static String[] identifiers(List<? extends Item<?>> items) {
        String[] identifiers = new String[items.size()];
        for (int i = 0; i < identifiers.length; i++) {
            identifiers[i] = items.get(i).itemIdentifier;
        }
        return identifiers;
    }
}
