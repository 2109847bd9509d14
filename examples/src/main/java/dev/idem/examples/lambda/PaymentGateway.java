package dev.idem.examples.lambda;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a card payment provider: it records every charge per order, and can time out
 * once for a chosen order, as a real provider sometimes does.
 */
public final class PaymentGateway {

    private final Map<Long, AtomicInteger> chargesPerOrder = new ConcurrentHashMap<>();
    private final Set<Long> timeOutOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger charges = new AtomicInteger();

    /** Charges {@code amount} for {@code orderId} and returns the charge id. */
    public String charge(long orderId, BigDecimal amount) {
        if (timeOutOnce.remove(orderId)) {
            throw new IllegalStateException("payment provider timed out charging order " + orderId);
        }
        chargesPerOrder.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
        return "ch_" + charges.incrementAndGet();
    }

    /** Makes the next charge for {@code orderId} time out. */
    public void timeOutOnce(long orderId) {
        timeOutOnce.add(orderId);
    }

    /** Returns the number of charges per order, sorted by order id. */
    public Map<Long, Integer> chargesPerOrder() {
        Map<Long, Integer> counts = new TreeMap<>();
        chargesPerOrder.forEach((orderId, count) -> counts.put(orderId, count.get()));
        return counts;
    }

    /** Returns the number of orders charged more than once. */
    public int doubleCharges() {
        return (int) chargesPerOrder.values().stream().filter(count -> count.get() > 1).count();
    }
}
