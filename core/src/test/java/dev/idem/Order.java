package dev.idem;

import java.math.BigDecimal;
import java.time.Instant;

/** A result type with a decimal and a timestamp, to check that JSON replays keep both exactly. */
record Order(String id, BigDecimal amount, Instant placedAt) {
}
