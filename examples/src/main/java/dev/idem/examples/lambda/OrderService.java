package dev.idem.examples.lambda;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the service that creates orders. It counts the orders it created, can report
 * the inventory as unavailable once, and can hold the next order until the demo lets it go, so
 * that a concurrent retry arrives while the first request still runs.
 */
public final class OrderService {

    private final AtomicInteger created = new AtomicInteger();
    private volatile boolean unavailableOnce;
    private volatile CountDownLatch started;
    private volatile CountDownLatch proceed;

    /** Creates an order and returns its id, or returns {@code null} when the inventory is unavailable. */
    public String create(String product, int quantity) {
        if (unavailableOnce) {
            unavailableOnce = false;
            return null;
        }

        CountDownLatch hold = proceed;
        if (hold != null) {
            proceed = null;
            started.countDown();
            await(hold);
        }
        return "ord_" + created.incrementAndGet();
    }

    /** Makes the next {@link #create} report the inventory as unavailable. */
    public void unavailableOnce() {
        unavailableOnce = true;
    }

    /**
     * Makes the next {@link #create} wait for {@code proceed}, after counting down {@code started}
     * to tell the caller that the order is in progress.
     */
    public void holdNextOrder(CountDownLatch started, CountDownLatch proceed) {
        this.started = started;
        this.proceed = proceed;
    }

    /** Returns the number of orders created. */
    public int created() {
        return created.get();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the held order was not released within 10 seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the order was held", e);
        }
    }
}
