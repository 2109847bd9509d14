package dev.idem.event;

/**
 * Receives every outcome, for metrics and tracing. Called on the caller's thread, so keep it
 * fast. An exception thrown by a listener is logged and swallowed; it never changes an outcome.
 * Events carry keys but never results or payloads.
 */
@FunctionalInterface
public interface IdempotencyListener {

    void onEvent(IdempotencyEvent event);
}
