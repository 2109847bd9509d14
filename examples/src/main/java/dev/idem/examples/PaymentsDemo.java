package dev.idem.examples;

import dev.idem.ClaimOutcome;
import dev.idem.Execution;
import dev.idem.FingerprintMismatchException;
import dev.idem.Idem;
import dev.idem.InFlightPolicy;
import dev.idem.memory.InMemoryIdempotencyStore;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Charges cards for a stream of payment requests that contains the duplicates a real system
 * receives: a client retry, eight concurrent copies of one request, a retry after a failure, and a
 * key reused with a different amount. Every request goes through {@link Idem#execute}; the demo
 * prints what happened to each and checks that no card was charged twice.
 *
 * <p>It runs on the embedded in-memory store, so it needs no server.
 */
public final class PaymentsDemo {

    /** A payment request as a client sends it. */
    public record PaymentRequest(String idempotencyKey, String card, BigDecimal amount) {
    }

    /** The payment provider's receipt, replayed to duplicates. */
    public record Receipt(String chargeId, String card, BigDecimal amount) {
    }

    private final PaymentProvider provider = new PaymentProvider();
    private final Idem idem;
    private final PrintStream out;

    PaymentsDemo(PrintStream out) {
        this.out = out;
        this.idem = Idem.builder(InMemoryIdempotencyStore.create())
                .namespace("payments")
                .lease(Duration.ofSeconds(30))
                .retention(Duration.ofHours(24))
                .inFlight(InFlightPolicy.await(Duration.ofSeconds(5)))
                .build();
    }

    public static void main(String[] args) throws Exception {
        PaymentsDemo demo = new PaymentsDemo(System.out);
        if (demo.run() != 0) {
            System.exit(1);
        }
    }

    /** Runs every scenario and returns the number of keys that were charged more than once. */
    int run() throws Exception {
        out.printf("%-28s %-10s %-18s %s%n", "request", "key", "outcome", "charge");

        handle("first request", new PaymentRequest("pay-1", "4111", new BigDecimal("25.00")));
        handle("client retry", new PaymentRequest("pay-1", "4111", new BigDecimal("25.00")));

        concurrentCopies(new PaymentRequest("pay-2", "5500", new BigDecimal("99.90")), 8);

        provider.failNextCharge();
        handle("provider timeout", new PaymentRequest("pay-3", "3400", new BigDecimal("10.00")));
        handle("retry after failure", new PaymentRequest("pay-3", "3400", new BigDecimal("10.00")));

        handle("same key, other amount", new PaymentRequest("pay-1", "4111", new BigDecimal("2500.00")));

        ClaimOutcome manual = idem.claim("pay-4", null);
        out.printf("%-28s %-10s %-18s %s%n", "manual claim", "pay-4", manual.getClass().getSimpleName(), "-");

        out.println();
        out.printf("charges made: %d, keys charged more than once: %d%n", provider.charges(), provider.doubleCharges());
        return provider.doubleCharges();
    }

    private void handle(String label, PaymentRequest request) {
        try {
            Execution<Receipt> result = idem.execute(request.idempotencyKey(), request, Receipt.class,
                    () -> provider.charge(request));
            out.printf("%-28s %-10s %-18s %s%n", label, request.idempotencyKey(), result.source(),
                    result.value().chargeId());
        } catch (FingerprintMismatchException e) {
            out.printf("%-28s %-10s %-18s %s%n", label, request.idempotencyKey(), "REJECTED (422)", "-");
        } catch (IllegalStateException e) {
            out.printf("%-28s %-10s %-18s %s%n", label, request.idempotencyKey(), "FAILED, released", e.getMessage());
        }
    }

    private void concurrentCopies(PaymentRequest request, int copies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<Execution<Receipt>>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> idem.execute(request.idempotencyKey(), request, Receipt.class,
                        () -> provider.charge(request))));
            }
            for (int i = 0; i < futures.size(); i++) {
                Execution<Receipt> result = futures.get(i).get();
                out.printf("%-28s %-10s %-18s %s%n", "concurrent copy " + (i + 1), request.idempotencyKey(),
                        result.source(), result.value().chargeId());
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Stands in for a card network: counts charges per key, and can fail once like a timeout. */
    static final class PaymentProvider {

        private final ConcurrentHashMap<String, AtomicInteger> chargesPerKey = new ConcurrentHashMap<>();
        private final AtomicInteger charges = new AtomicInteger();
        private volatile boolean failNext;

        Receipt charge(PaymentRequest request) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("provider timed out");
            }
            sleep(50);
            chargesPerKey.computeIfAbsent(request.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
            return new Receipt("ch_" + charges.incrementAndGet(), request.card(), request.amount());
        }

        void failNextCharge() {
            failNext = true;
        }

        int charges() {
            return charges.get();
        }

        int doubleCharges() {
            return (int) chargesPerKey.values().stream().filter(count -> count.get() > 1).count();
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
