package dev.idem.testkit.fault;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpProxyTest {

    private static final byte[] PING = "ping".getBytes(StandardCharsets.UTF_8);

    private EchoServer echo;
    private TcpProxy proxy;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void startProxy() throws IOException {
        echo = new EchoServer();
        proxy = TcpProxy.start("127.0.0.1", echo.port());
    }

    @AfterEach
    void stopProxy() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        proxy.close();
        echo.close();
    }

    @Test
    void listensOnLoopback() {
        assertThat(proxy.host()).isEqualTo("127.0.0.1");
        assertThat(proxy.port()).isPositive();
        assertThat(proxy.target().getPort()).isEqualTo(echo.port());
    }

    @Test
    void forwardsBothWays() throws IOException {
        Socket client = connect();

        byte[] reply = exchange(client, PING);

        assertThat(reply).isEqualTo(PING);
        await().until(() -> proxy.bytesToClient() == PING.length);
        assertThat(proxy.bytesToTarget()).isEqualTo(PING.length);
    }

    @Test
    void passesHalfClose() throws IOException {
        Socket client = connect();
        client.getOutputStream().write(PING);

        client.shutdownOutput();
        byte[] reply = client.getInputStream().readAllBytes();

        assertThat(reply).isEqualTo(PING);
    }

    @Test
    void countsOpenConnections() throws IOException {
        Socket first = connect();
        exchange(first, PING);
        exchange(connect(), PING);
        assertThat(proxy.openConnections()).isEqualTo(2);

        first.close();

        await().until(() -> proxy.openConnections() == 1);
    }

    @Test
    void resetCutsOpenConnections() throws IOException {
        Socket client = connect();
        exchange(client, PING);

        int cut = proxy.resetConnections();

        assertThat(cut).isEqualTo(1);
        assertThat(proxy.openConnections()).isZero();
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);
        await().until(() -> echo.closedConnections() == 1);
    }

    @Test
    void resetKeepsAccepting() throws IOException {
        exchange(connect(), PING);
        proxy.resetConnections();

        byte[] reply = exchange(connect(), PING);

        assertThat(reply).isEqualTo(PING);
    }

    @Test
    void refusalEndsByItself() throws IOException {
        proxy.refuseConnections(Duration.ofMillis(300));

        Socket refused = connect();

        assertThatThrownBy(() -> exchange(refused, PING)).isInstanceOf(SocketException.class);
        assertThat(proxy.refusedConnections()).isEqualTo(1);
        await().until(this::echoWorksOnNewConnection);
    }

    @Test
    void refusalKeepsOpenConnections() throws IOException {
        Socket open = connect();
        exchange(open, PING);

        proxy.refuseConnections(Duration.ofSeconds(30));

        assertThat(exchange(open, PING)).isEqualTo(PING);
    }

    @Test
    void refusalLastsUntilAccepted() throws IOException {
        proxy.refuseConnections();
        Socket refused = connect();
        assertThatThrownBy(() -> exchange(refused, PING)).isInstanceOf(SocketException.class);

        proxy.acceptConnections();

        assertThat(exchange(connect(), PING)).isEqualTo(PING);
    }

    @Test
    void droppedResponsesStillReachTarget() throws IOException {
        Socket client = connect();
        exchange(client, PING);
        proxy.dropResponses(true);

        client.getOutputStream().write(PING);
        await().until(() -> proxy.droppedBytes() == PING.length);

        assertThat(echo.receivedBytes()).isEqualTo(2L * PING.length);
        assertThat(client.getInputStream().available()).isZero();
    }

    @Test
    void responsesFlowAfterDropEnds() throws IOException {
        Socket client = connect();
        proxy.dropResponses(true);
        client.getOutputStream().write(PING);
        await().until(() -> proxy.droppedBytes() == PING.length);

        proxy.dropResponses(false);

        assertThat(exchange(client, PING)).isEqualTo(PING);
    }

    @Test
    void closeStopsListening() throws IOException {
        Socket open = connect();
        exchange(open, PING);
        int port = proxy.port();

        proxy.close();

        assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void unreachableTargetResetsClient() throws IOException {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }

        try (TcpProxy deadEnd = TcpProxy.start("127.0.0.1", closedPort);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), deadEnd.port())) {
            assertThatThrownBy(() -> exchange(client, PING)).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void invalidTargetPortRejected() {
        assertThatThrownBy(() -> TcpProxy.start("127.0.0.1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targetPort");
    }

    private Socket connect() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        // A bound on every read, so that a broken proxy fails the test instead of hanging it.
        client.setSoTimeout(10_000);
        clients.add(client);
        return client;
    }

    private boolean echoWorksOnNewConnection() {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            client.setSoTimeout(10_000);
            return new String(exchange(client, PING), StandardCharsets.UTF_8).equals("ping");
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code message} and reads as many bytes back, or throws when the connection ends first. */
    private static byte[] exchange(Socket client, byte[] message) throws IOException {
        client.getOutputStream().write(message);
        byte[] reply = client.getInputStream().readNBytes(message.length);
        if (reply.length < message.length) {
            throw new SocketException("Connection ended after " + reply.length + " of " + message.length + " bytes");
        }
        return reply;
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    /** A loopback server that writes back every byte it reads and closes its side after the client's end of stream. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket listener;
        private final AtomicLong receivedBytes = new AtomicLong();
        private final AtomicInteger closedConnections = new AtomicInteger();

        EchoServer() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::acceptLoop, "echo-server-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        long receivedBytes() {
            return receivedBytes.get();
        }

        int closedConnections() {
            return closedConnections.get();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket connection = listener.accept();
                    Thread handler = new Thread(() -> echo(connection), "echo-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream();
                byte[] buffer = new byte[1024];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    receivedBytes.addAndGet(read);
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // The proxy reset the connection, which the tests observe through the closed-connection count.
            } finally {
                closedConnections.incrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
