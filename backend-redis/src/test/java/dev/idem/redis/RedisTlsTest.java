package dev.idem.redis;

import dev.idem.BackendException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.SslOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code rediss://} URL connects with TLS to a private server whose self-signed certificate
 * the test makes with the JDK's keytool.
 */
class RedisTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private static Path directory;
    private static KeyStore keyStore;
    private static int tlsPort;
    private static RedisServerProcess server;

    @BeforeAll
    static void startTlsServer() throws Exception {
        directory = Files.createTempDirectory("idem-redis-tls-");
        keyStore = createKeyStore(directory.resolve("server.p12"));
        writePem(directory.resolve("server.crt"), "CERTIFICATE", keyStore.getCertificate("redis").getEncoded());
        writePem(directory.resolve("server.key"), "PRIVATE KEY", keyStore.getKey("redis", PASSWORD).getEncoded());
        writeTrustStore(directory.resolve("trust.p12"));

        tlsPort = RedisServerProcess.freePort();
        server = RedisServerProcess.start(
                "--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", directory.resolve("server.crt").toString(),
                "--tls-key-file", directory.resolve("server.key").toString(),
                "--tls-ca-cert-file", directory.resolve("server.crt").toString(),
                "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stopTlsServer() throws IOException {
        if (server != null) {
            server.close();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void redissUrlClaimsOverTls() {
        SslOptions trustServer = SslOptions.builder()
                .truststore(directory.resolve("trust.p12").toFile(), PASSWORD)
                .trustStoreType("PKCS12")
                .build();

        try (RedisIdempotencyStore store = RedisIdempotencyStore.builder()
                .url("rediss://127.0.0.1:" + tlsPort)
                .sslOptions(trustServer)
                .build()) {

            ClaimResult result = store.claim(new ClaimRequest("tls:1", null, 10_000, 60_000, null));

            assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        }
        try (var client = server.client()) {
            assertThat(client.exists("idem:{tls:1}")).isTrue();
        }
    }

    @Test
    void hostNameMismatchFails() {
        SslOptions trustServer = SslOptions.builder()
                .truststore(directory.resolve("trust.p12").toFile(), PASSWORD)
                .trustStoreType("PKCS12")
                .build();

        // The certificate names 127.0.0.1 only, so Jedis' default verify mode rejects the name localhost.
        try (RedisIdempotencyStore store = RedisIdempotencyStore.builder()
                .url("rediss://localhost:" + tlsPort)
                .sslOptions(trustServer)
                .build()) {

            assertThatThrownBy(() -> store.claim(new ClaimRequest("tls:3", null, 10_000, 60_000, null)))
                    .isInstanceOf(BackendException.class)
                    .hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
        }
    }

    @Test
    void untrustedCertificateFails() {
        try (RedisIdempotencyStore store = RedisIdempotencyStore.builder()
                .url("rediss://127.0.0.1:" + tlsPort)
                .timeout(Duration.ofSeconds(2))
                .build()) {

            assertThatThrownBy(() -> store.claim(new ClaimRequest("tls:2", null, 10_000, 60_000, null)))
                    .isInstanceOf(BackendException.class)
                    .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        }
    }

    /** Writes a PKCS12 trust store that contains only the server's certificate. */
    private static void writeTrustStore(Path file) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("redis", keyStore.getCertificate("redis"));
        try (OutputStream out = Files.newOutputStream(file)) {
            trusted.store(out, PASSWORD);
        }
    }

    /** Runs the JDK's keytool to make a self-signed certificate for 127.0.0.1. */
    private static KeyStore createKeyStore(Path file) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "redis",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed to create a certificate: " + output);
        }

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
