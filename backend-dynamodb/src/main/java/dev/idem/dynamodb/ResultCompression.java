package dev.idem.dynamodb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** GZIP compression of results that would not fit a DynamoDB item uncompressed. */
final class ResultCompression {

    /** The value of the result encoding attribute on a compressed result. */
    static final String GZIP = "gzip";

    private final int maxDecompressedBytes;

    /**
     * @param maxDecompressedBytes the largest result that decompression returns; a stored result
     *                             that inflates beyond it is treated as corrupt instead of filling the heap
     */
    ResultCompression(int maxDecompressedBytes) {
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** Compresses {@code bytes} with GZIP at the default level. */
    byte[] compress(byte[] bytes) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            gzip.write(bytes);
        } catch (IOException e) {
            // A ByteArrayOutputStream never throws, so this only happens on a broken JDK.
            throw new UncheckedIOException("GZIP compression into memory failed", e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decompresses a GZIP result.
     *
     * @throws InvalidCompressedResultException when the bytes are not GZIP or inflate beyond the limit
     */
    byte[] decompress(byte[] compressed) {
        try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = gzip.read(chunk)) != -1) {
                if (out.size() + read > maxDecompressedBytes) {
                    throw new InvalidCompressedResultException("it inflates to more than " + maxDecompressedBytes
                            + " bytes, the store's maxResultBytes");
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new InvalidCompressedResultException("it is not valid GZIP data (" + e.getMessage() + ")");
        }
    }

    /** A stored compressed result that cannot be decompressed. */
    static final class InvalidCompressedResultException extends RuntimeException {

        InvalidCompressedResultException(String message) {
            super(message);
        }
    }
}
