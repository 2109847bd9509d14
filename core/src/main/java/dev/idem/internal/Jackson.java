package dev.idem.internal;

/** Detects the optional Jackson dependency without loading any of its classes. */
public final class Jackson {

    private static final boolean PRESENT = detect();

    private Jackson() {
    }

    public static boolean isPresent() {
        return PRESENT;
    }

    private static boolean detect() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, Jackson.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Tells whether Jackson's java.time module is present, so that dates round-trip as ISO-8601 text. */
    public static boolean isJavaTimePresent() {
        try {
            Class.forName("com.fasterxml.jackson.datatype.jsr310.JavaTimeModule", false, Jackson.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
