package dev.idem.bench.cli;

import dev.idem.Idem;
import dev.idem.bench.BackendConnection;
import dev.idem.spi.IdempotencyRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Prints the live record of one key. */
@Command(name = "inspect", description = "Prints the record of KEY from the configured backend.")
final class InspectCommand implements Callable<Integer> {

    /** Exit code when the key has no live record. */
    static final int NOT_FOUND = 3;

    /** Result bytes printed at most, so that a large result does not flood the terminal. */
    private static final int PREVIEW_BYTES = 256;

    @Mixin
    BackendOptions backend;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "default",
            description = "The namespace the application uses. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Parameters(paramLabel = "KEY", description = "The caller's key, without the namespace.")
    String key;

    @Override
    public Integer call() {
        backend.requireSharedBackend("inspect");
        try (BackendConnection connection = backend.open(1)) {
            Idem idem = Idem.builder(connection.store()).namespace(namespace).build();
            String storageKey = idem.storageKey(key);
            Optional<IdempotencyRecord> record = connection.store().get(storageKey);
            if (record.isEmpty()) {
                System.out.println("No live record for " + storageKey + " on " + connection.backend()
                        + " (absent or expired).");
                return NOT_FOUND;
            }
            print(record.get());
            return 0;
        }
    }

    private static void print(IdempotencyRecord record) {
        System.out.println("key:              " + record.key());
        System.out.println("status:           " + record.status());
        System.out.println("fencing token:    " + record.fencingToken());
        System.out.println("lease expires at: " + time(record.leaseExpiresAt()));
        System.out.println("expires at:       " + time(record.expiresAt()));
        System.out.println("created at:       " + time(record.createdAt()));
        System.out.println("completed at:     " + time(record.completedAt()));
        System.out.println("owner:            " + record.owner());
        System.out.println("fingerprint:      " + record.fingerprint());
        System.out.println("result:           " + describeResult(record.result()));
    }

    private static String time(long epochMillis) {
        return epochMillis == 0 ? "-" : Instant.ofEpochMilli(epochMillis) + " (" + epochMillis + ")";
    }

    /**
     * Describes the stored bytes. The core stores an envelope whose first byte tags the result's
     * kind, so the text after it is shown when it is valid UTF-8.
     */
    private static String describeResult(byte[] result) {
        if (result == null) {
            return "none";
        }
        String size = result.length + " bytes";
        if (result.length <= 1) {
            return size;
        }
        byte[] body = Arrays.copyOfRange(result, 1, Math.min(result.length, PREVIEW_BYTES + 1));
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString();
            return size + ", " + (result.length - 1 > PREVIEW_BYTES ? "starts with " : "") + text;
        } catch (CharacterCodingException e) {
            return size + ", binary";
        }
    }
}
