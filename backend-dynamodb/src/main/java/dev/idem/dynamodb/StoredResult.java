package dev.idem.dynamodb;

/**
 * The bytes a completion writes to the result attribute.
 *
 * @param bytes          the attribute value: the envelope, its GZIP form, or a "not stored" envelope
 * @param encoding       {@link ResultCompression#GZIP} when {@code bytes} are compressed, otherwise {@code null}
 * @param originalBytes  the size of the envelope the core passed in
 * @param notStored      whether the result was replaced by a "not stored" envelope because it did not fit
 */
record StoredResult(byte[] bytes, String encoding, int originalBytes, boolean notStored) {
}
