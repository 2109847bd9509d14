package dev.idem.testkit.fault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on the loopback interface for fault-injection tests. A backend's test points its
 * client at {@link #host()}:{@link #port()} instead of the server, and then breaks the network at
 * the moment it chooses: {@link #resetConnections()} cuts every open connection,
 * {@link #refuseConnections(Duration)} turns new connections away for a while, and
 * {@link #dropResponses(boolean)} lets requests reach the server while their responses vanish.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", redisPort)) {
 *     IdempotencyStore store = storeConnectedTo(proxy.host(), proxy.port());
 *     proxy.dropResponses(true);          // the next claim takes effect but its reply is lost
 *     ... start the claim, wait until proxy.bytesToTarget() grows ...
 *     proxy.resetConnections();           // the client sees its connection reset mid-claim
 *     proxy.dropResponses(false);
 * }
 * }</pre>
 *
 * <p>The proxy listens on 127.0.0.1 on a port the system chooses, and copies bytes with two
 * threads per connection, one per direction. An end of stream is passed on as a half-close, so
 * protocols that shut down one direction keep working. Cutting a connection closes both its
 * sockets with a zero linger time, which sends a TCP reset to the client and to the server.
 *
 * <p>Warning: it is meant for tests. It copies bytes in blocking threads, keeps no limit on the
 * number of connections, and has no TLS of its own (TLS bytes pass through untouched).
 */
public final class TcpProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int BUFFER_BYTES = 16 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final String name;
    private final Thread acceptor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumber = new AtomicInteger();
    private final AtomicLong bytesToTarget = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicInteger refusedConnections = new AtomicInteger();

    private volatile boolean refusingUntilAccepted;
    private volatile boolean refusingForAWhile;
    private volatile long refuseDeadlineNanos;
    private volatile boolean droppingResponses;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
        this.name = "proxy 127.0.0.1:" + listener.getLocalPort();
        this.acceptor = new Thread(this::acceptConnectionsLoop, "idem-tcp-proxy-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts a proxy on 127.0.0.1 and a free port that forwards every connection to {@code targetHost:targetPort}.
     *
     * @throws IOException when no local port can be bound
     */
    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("targetPort must be between 1 and 65535, got " + targetPort);
        }
        return start(new InetSocketAddress(targetHost, targetPort));
    }

    /**
     * Starts a proxy on 127.0.0.1 and a free port that forwards every connection to {@code target}.
     *
     * @throws IOException when no local port can be bound
     */
    public static TcpProxy start(InetSocketAddress target) throws IOException {
        Objects.requireNonNull(target, "target");
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy proxy = new TcpProxy(target, listener);
        proxy.acceptor.start();
        log.info("{} started, forwarding to {}", proxy.name, target);
        return proxy;
    }

    /** The address clients connect to: always {@code 127.0.0.1}. */
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The server that the proxy forwards to. */
    public InetSocketAddress target() {
        return target;
    }

    /** The number of connections that are forwarding now. */
    public int openConnections() {
        return connections.size();
    }

    /** The bytes forwarded from clients to the server since the proxy started. */
    public long bytesToTarget() {
        return bytesToTarget.get();
    }

    /** The bytes forwarded from the server to clients since the proxy started. */
    public long bytesToClient() {
        return bytesToClient.get();
    }

    /** The response bytes discarded while {@link #dropResponses(boolean)} was on. */
    public long droppedBytes() {
        return droppedBytes.get();
    }

    /** The connections turned away while refusing. */
    public int refusedConnections() {
        return refusedConnections.get();
    }

    /**
     * Cuts every open connection now with a TCP reset to both the client and the server. The proxy
     * keeps accepting new connections.
     *
     * @return the number of connections cut
     */
    public int resetConnections() {
        List<Connection> open;
        synchronized (connections) {
            open = new ArrayList<>(connections);
            connections.clear();
        }
        for (Connection connection : open) {
            connection.reset();
        }
        log.info("{} reset {} open connections", name, open.size());
        return open.size();
    }

    /**
     * Turns away every new connection for {@code duration}, then accepts again by itself. A turned
     * away connection is accepted and reset at once, so the client sees the reset on first use.
     * Open connections are left alone. Call {@link #resetConnections()} to cut them too.
     */
    public void refuseConnections(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or positive, got " + duration);
        }
        refuseDeadlineNanos = System.nanoTime() + duration.toNanos();
        refusingForAWhile = true;
        log.info("{} refuses new connections for {}", name, duration);
    }

    /** Turns away every new connection until {@link #acceptConnections()} is called. */
    public void refuseConnections() {
        refusingUntilAccepted = true;
        log.info("{} refuses new connections until told to accept", name);
    }

    /** Accepts new connections again, ending any refusal. */
    public void acceptConnections() {
        refusingUntilAccepted = false;
        refusingForAWhile = false;
        log.info("{} accepts new connections", name);
    }

    /**
     * Turns discarding of server responses on or off. While on, requests still reach the server
     * and take effect, but the client receives nothing and waits until its own timeout, or until
     * {@link #resetConnections()} cuts the connection. Discarded bytes are lost, not delayed.
     */
    public void dropResponses(boolean drop) {
        droppingResponses = drop;
        log.info("{} {} server responses", name, drop ? "drops" : "forwards");
    }

    /** Stops listening and resets every open connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;

        closeQuietly(listener);
        resetConnections();
        try {
            acceptor.join(CONNECT_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} closed", name);
    }

    private boolean isRefusing() {
        return refusingUntilAccepted || (refusingForAWhile && System.nanoTime() - refuseDeadlineNanos < 0);
    }

    private void acceptConnectionsLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("{} failed to accept a connection, stopping: {}", name, e.toString());
                }
                return;
            }

            if (isRefusing()) {
                refusedConnections.incrementAndGet();
                log.debug("{} refused a connection from port {}", name, client.getPort());
                reset(client);
                continue;
            }
            forward(client);
        }
    }

    private void forward(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            log.warn("{} failed to connect to {}, resetting the client's connection: {}", name, target, e.toString());
            reset(upstream);
            reset(client);
            return;
        }

        Connection connection = new Connection(connectionNumber.incrementAndGet(), client, upstream);
        // Registration and start hold the same lock as resetConnections(), so a reset never misses a connection.
        synchronized (connections) {
            if (closed) {
                connection.reset();
                return;
            }
            connections.add(connection);
            connection.start();
        }
        log.debug("{} opened connection {} from port {}", name, connection.number, client.getPort());
    }

    /** One client connection and its connection to the server, with a copying thread per direction. */
    private final class Connection {

        private final int number;
        private final Socket client;
        private final Socket upstream;
        private final AtomicInteger finishedDirections = new AtomicInteger();

        Connection(int number, Socket client, Socket upstream) {
            this.number = number;
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            startCopy(client, upstream, false, "up");
            startCopy(upstream, client, true, "down");
        }

        private void startCopy(Socket from, Socket to, boolean response, String direction) {
            Thread thread = new Thread(() -> copy(from, to, response),
                    "idem-tcp-proxy-" + port() + "-" + number + "-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        private void copy(Socket from, Socket to, boolean response) {
            byte[] buffer = new byte[BUFFER_BYTES];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) != -1) {
                    if (response && droppingResponses) {
                        droppedBytes.addAndGet(read);
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                    (response ? bytesToClient : bytesToTarget).addAndGet(read);
                }
                // Pass the end of stream on, so that a half-closed protocol gets it too.
                to.shutdownOutput();
            } catch (IOException e) {
                // A peer reset the connection or the proxy cut it, and either way both sides must close.
                log.debug("{} connection {} ended: {}", name, number, e.toString());
                closeBoth();
            } finally {
                if (finishedDirections.incrementAndGet() == 2) {
                    closeBoth();
                }
            }
        }

        private void closeBoth() {
            connections.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        void reset() {
            TcpProxy.reset(client);
            TcpProxy.reset(upstream);
        }
    }

    /** Closes a socket with a zero linger time, which sends a TCP reset instead of a normal close. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (SocketException e) {
            // The socket closed meanwhile, and closing it again below is harmless.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Nothing is left to release when a close fails, and the caller is tearing down anyway.
        }
    }
}
