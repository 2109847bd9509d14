package dev.idem;

/** What {@code execute} does when the backend fails before the action runs. */
public enum BackendFailurePolicy {
    /** Throw the {@link BackendException} and do not run the action. The default: safe for side effects. */
    FAIL_CLOSED,
    /**
     * Run the action without protection and log a warning. Duplicates arriving during the outage
     * run again; choose this only where availability matters more than a repeated side effect.
     */
    FAIL_OPEN
}
