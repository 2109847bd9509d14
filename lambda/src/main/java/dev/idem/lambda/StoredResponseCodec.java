package dev.idem.lambda;

import dev.idem.codec.ResultCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link StoredResponse} in a small binary form, so that replaying responses needs no
 * JSON library and loads no extra classes at a cold start.
 *
 * <p>Layout, big-endian: a version byte (1), the status code as an int, a flags byte (bit 0:
 * the body is base64), the body, the headers, the multi-value headers and the cookies. A string
 * is an int byte length (-1 for null) followed by its UTF-8 bytes. A map or list is an int entry
 * count (-1 for null) followed by its entries.
 */
final class StoredResponseCodec implements ResultCodec<StoredResponse> {

    static final StoredResponseCodec INSTANCE = new StoredResponseCodec();

    private static final int VERSION = 1;

    private StoredResponseCodec() {
    }

    @Override
    public byte[] encode(StoredResponse response) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(response.statusCode());
            out.writeByte(response.base64Encoded() ? 1 : 0);
            writeString(out, response.body());
            writeMap(out, response.headers());
            writeMultiMap(out, response.multiValueHeaders());
            writeList(out, response.cookies());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array failed", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public StoredResponse decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown stored response version " + version + ", expected " + VERSION);
            }
            int statusCode = in.readInt();
            boolean base64 = (in.readUnsignedByte() & 1) != 0;
            String body = readString(in);
            Map<String, String> headers = readMap(in);
            Map<String, List<String>> multiValueHeaders = readMultiMap(in);
            List<String> cookies = readList(in);
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " unexpected bytes after the stored response");
            }
            return new StoredResponse(statusCode, headers, multiValueHeaders, cookies, body, base64);
        } catch (IOException e) {
            throw new IllegalArgumentException("stored response is truncated or malformed: " + e, e);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        if (length > in.available()) {
            throw new IOException("string of " + length + " bytes exceeds the " + in.available() + " bytes left");
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int size = readCount(in);
        if (size < 0) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }

    private static void writeMultiMap(DataOutputStream out, Map<String, List<String>> map) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, List<String>> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            writeList(out, entry.getValue());
        }
    }

    private static Map<String, List<String>> readMultiMap(DataInputStream in) throws IOException {
        int size = readCount(in);
        if (size < 0) {
            return null;
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readList(in));
        }
        return map;
    }

    private static void writeList(DataOutputStream out, List<String> list) throws IOException {
        if (list == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(list.size());
        for (String value : list) {
            writeString(out, value);
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int size = readCount(in);
        if (size < 0) {
            return null;
        }
        List<String> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(readString(in));
        }
        return list;
    }

    /**
     * Reads an entry count: -1 for null, or a count that the remaining bytes can hold, because
     * each entry takes at least 4 bytes. Anything else is rejected before a buffer is allocated.
     */
    private static int readCount(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < -1 || count > in.available() / 4) {
            throw new IOException("count of " + count + " entries exceeds the " + in.available() + " bytes left");
        }
        return count;
    }
}
