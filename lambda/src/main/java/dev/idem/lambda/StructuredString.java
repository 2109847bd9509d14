package dev.idem.lambda;

/**
 * Parses an {@code Idempotency-Key} header value. The IETF draft defines it as a Structured
 * Field string (RFC 8941): printable ASCII in double quotes, where only {@code \"} and
 * {@code \\} are escapes. Many clients send the bare value instead, so a value without quotes is
 * taken as it is, trimmed.
 */
final class StructuredString {

    private StructuredString() {
    }

    /**
     * Returns the key in {@code value}, or {@code null} when the value is blank.
     *
     * @throws IllegalArgumentException when a quoted value is not a valid Structured Field string
     */
    static String parse(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        if (trimmed.charAt(0) != '"') {
            return trimmed;
        }

        StringBuilder key = new StringBuilder(trimmed.length());
        for (int i = 1; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '\\') {
                char next = i + 1 < trimmed.length() ? trimmed.charAt(i + 1) : 0;
                if (next != '"' && next != '\\') {
                    throw new IllegalArgumentException("The quoted key has an invalid escape at character " + (i + 1)
                            + "; only \\\" and \\\\ are allowed.");
                }
                key.append(next);
                i++;
            } else if (c == '"') {
                if (i != trimmed.length() - 1) {
                    throw new IllegalArgumentException("The quoted key has characters after its closing quote.");
                }
                return key.toString();
            } else if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("The quoted key has a character outside printable ASCII at"
                        + " position " + (i + 1) + ".");
            } else {
                key.append(c);
            }
        }
        throw new IllegalArgumentException("The quoted key has no closing quote.");
    }
}
