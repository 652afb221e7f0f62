package teagrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server for this machine's browser: it listens on 127.0.0.1 only and answers
 * only requests addressed to that name (a page on another site that rebinds its DNS name to
 * 127.0.0.1 sends its own name as Host, and is refused).
 *
 * <p>One thread owns every socket and never waits on a client: it accepts, reads request heads
 * and writes answers only as far as each socket allows, so a client that sends one byte and then
 * nothing costs a buffer, not a thread. A few workers turn complete requests into answers. Every
 * connection runs against a clock, and the limits are what the README promises:
 * <ul>
 *   <li>the request line and headers must arrive whole, at most {@value #HEAD_LIMIT} bytes,
 *       within {@value #HEAD_TIMEOUT_MS} ms of the connection opening or of the previous answer,
 *       else the connection is closed (after a 408 if a request had begun);
 *   <li>an answer must be taken by the client within {@value #WRITE_TIMEOUT_MS} ms;
 *   <li>at most {@value #MAX_CONNECTIONS} connections are open: one more closes the oldest
 *       that is still waiting for its request;
 *   <li>{@value #WORKERS} workers; a handler that throws is logged and answered 500.
 * </ul>
 * The JDK's built-in server cannot promise the first: it reads request heads on its worker threads
 * with blocking reads, so N silent clients hold N workers.
 */
public final class LoopbackServer implements AutoCloseable {
    static final int HEAD_LIMIT = 8 * 1024;
    static final long HEAD_TIMEOUT_MS = 5_000;
    static final long WRITE_TIMEOUT_MS = 10_000;
    static final int MAX_CONNECTIONS = 512;
    static final int WORKERS = 4;
    /** After an answer that closes the connection: how long to read and drop what the client still sends. */
    private static final long LINGER_MS = 1_000;
    /** How often the deadlines are checked. */
    private static final long TICK_MS = 100;

    /** Turns a request into its answer, on a worker thread. */
    interface Handler {
        HttpResponse handle(HttpRequest request) throws Exception;
    }

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Handler handler;
    private final PrintStream log;
    private final int port;
    private final ThreadPoolExecutor workers;
    /** Answers from the workers, handed to the socket thread, which alone touches the sockets. */
    private final Queue<Runnable> answered = new ConcurrentLinkedQueue<>();
    /** Open connections in the order they were opened (the oldest is evicted first). */
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Thread loop;
    private volatile boolean open = true;
    private long acceptPausedUntil;

    /** One client's socket and where it stands: waiting for a request head, with a worker, writing, or lingering. */
    private static final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final ByteBuffer in = ByteBuffer.allocate(HEAD_LIMIT);
        ByteBuffer[] out;        // the answer being written, or null
        boolean closeAfterWrite;
        boolean withWorker;      // no clock while our own code works
        boolean lingering;       // answered and half-closed: dropping what still comes in
        long deadline;           // System.nanoTime() by which the current step must be done

        Connection(SocketChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }

        boolean waitingForRequest() {
            return !withWorker && out == null && !lingering;
        }
    }

    private LoopbackServer(ServerSocketChannel listener, Handler handler, PrintStream log) throws IOException {
        this.listener = listener;
        this.handler = handler;
        this.log = log;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        this.selector = Selector.open();
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        // Each connection has at most one request with the workers, so this queue never overflows.
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_CONNECTIONS),
                r -> daemon(r, "teagrad-serve-worker"));
        this.loop = daemon(this::run, "teagrad-serve");
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0 picks a free port: read it back with {@link #port()})
     * and serves until {@link #close()}. Handler failures and server troubles are logged to {@code log}.
     *
     * @throws java.net.BindException if the port is taken
     */
    static LoopbackServer start(int port, Handler handler, PrintStream log) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            // A long backlog: 200 clients connecting at once must not wait for SYN retries.
            listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1024);
            LoopbackServer server = new LoopbackServer(listener, handler, log);
            server.loop.start();
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** Stops serving; when it returns, the port is free and every connection closed. */
    @Override
    public void close() {
        open = false;
        selector.wakeup();
        // Wait until the loop has closed the listener, even when called from an interrupted thread (serve
        // stops by an interrupt): returning earlier left the port accepting connections it never answered.
        boolean interrupted = false;
        long until = System.nanoTime() + 5_000_000_000L;
        while (loop.isAlive() && System.nanoTime() < until) {
            try {
                loop.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        workers.shutdownNow();
    }

    // ---- the socket thread ------------------------------------------------------------------

    private void run() {
        try {
            while (open) {
                selector.select(TICK_MS);
                try {
                    for (Runnable r; (r = answered.poll()) != null; ) r.run();
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (key.attachment() == null) {
                            if (key.isValid() && key.isAcceptable()) accept();
                        } else {
                            step((Connection) key.attachment());
                        }
                    }
                    selector.selectedKeys().clear();
                    enforceDeadlines(System.nanoTime());
                } catch (RuntimeException e) { // a bug of ours: say so and keep serving the others
                    log.println("error: serve: " + e);
                    selector.selectedKeys().clear();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (open) log.println("error: serve stopped: " + e);
        } finally {
            for (Connection c : new ArrayList<>(connections)) close(c);
            try {
                listener.close();
                selector.close(); // deregisters the listener: only now is the port really free
            } catch (IOException e) {
                log.println("warning: serve: " + e);
            }
        }
    }

    private void accept() {
        long now = System.nanoTime();
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Out of file descriptors, say: try again a tick later instead of spinning.
                log.println("warning: serve cannot accept a connection: " + e.getMessage());
                pauseAccepting(now);
                return;
            }
            if (channel == null) return;
            if (connections.size() >= MAX_CONNECTIONS && !evictOldestWaiting()) {
                closeQuietly(channel); // every slot is busy with a real request
                continue;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection c = new Connection(channel, channel.register(selector, SelectionKey.OP_READ));
                c.key.attach(c);
                c.deadline = now + ms(HEAD_TIMEOUT_MS);
                connections.add(c);
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    private void pauseAccepting(long now) {
        acceptPausedUntil = now + ms(TICK_MS);
        listener.keyFor(selector).interestOps(0);
    }

    private boolean evictOldestWaiting() {
        for (Connection c : connections) {
            if (c.waitingForRequest()) {
                close(c);
                return true;
            }
        }
        return false;
    }

    /** The socket is ready: read or write, as far as it goes without waiting. */
    private void step(Connection c) {
        try {
            if (c.key.isValid() && c.key.isReadable()) read(c);
            if (c.key.isValid() && c.key.isWritable()) write(c);
        } catch (IOException e) {
            close(c); // the client went away, or reset us
        } catch (RuntimeException e) {
            log.println("error: serve: a connection failed: " + e);
            close(c);
        }
    }

    private void read(Connection c) throws IOException {
        if (c.lingering) {
            c.in.clear();
            if (c.channel.read(c.in) < 0) close(c);
            c.in.clear();
            return;
        }
        if (c.channel.read(c.in) < 0) {
            close(c);
            return;
        }
        takeRequest(c);
    }

    /** If a whole request head has arrived, hands it to a worker; stops reading until it is answered. */
    private void takeRequest(Connection c) {
        byte[] bytes = c.in.array();
        int end = HttpRequest.endOfHead(bytes, c.in.position());
        if (end < 0) {
            if (!c.in.hasRemaining()) {
                answerAndClose(c, HttpResponse.text(431, "431 request head too large: the request line and headers must fit in "
                        + HEAD_LIMIT / 1024 + " KB"));
            }
            return;
        }
        HttpRequest request;
        try {
            request = HttpRequest.parse(bytes, end);
        } catch (HttpRequest.Bad bad) {
            answerAndClose(c, HttpResponse.text(bad.status, bad.status + " " + HttpResponse.reason(bad.status).toLowerCase(Locale.ROOT)
                    + ": " + bad.getMessage()));
            return;
        }
        c.in.flip().position(end);
        c.in.compact(); // what follows is the next request (pipelining), kept for after this answer
        if (!addressedToUs(request.host())) {
            answerAndClose(c, HttpResponse.text(421, "421 misdirected request: this server answers only to Host 127.0.0.1:" + port
                    + " or localhost:" + port + ", and this request named " + quoted(request.host())
                    + " (a page on another site may be reaching it through DNS rebinding)"));
            return;
        }
        c.withWorker = true;
        c.key.interestOps(0);
        try {
            workers.execute(() -> {
                HttpResponse response = answer(request);
                answered.add(() -> send(c, response));
                selector.wakeup();
            });
        } catch (RejectedExecutionException full) {
            c.withWorker = false;
            answerAndClose(c, HttpResponse.text(503, "503 service unavailable: the server is shutting down or overloaded"));
        }
    }

    /** On a worker: the handler's answer, or a logged 500 if it failed. */
    private HttpResponse answer(HttpRequest request) {
        HttpResponse response;
        try {
            response = handler.handle(request);
        } catch (Throwable e) { // anything, or the connection would wait for an answer forever
            synchronized (log) {
                log.println("error: serve: " + request.method() + " " + request.path() + " failed: " + e);
                if (!(e instanceof IOException)) e.printStackTrace(log); // a bug: where it happened
            }
            response = HttpResponse.text(500, "500 internal server error: the server failed on this request (its log says why)");
            response.close = true;
        }
        response.headOnly = request.method().equals("HEAD");
        if (!request.keepAlive()) response.close = true;
        return response;
    }

    /**
     * Whether a Host names this server: 127.0.0.1 or localhost with our port (the port may be left
     * out only if it is 80). Nothing else: a DNS name an attacker controls may point here too.
     */
    boolean addressedToUs(String host) {
        if (host == null) return false; // HTTP/1.0 without Host: we cannot tell who it is for
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : new String[] {"127.0.0.1", "localhost"}) {
            if (h.equals(name + ":" + port) || (port == 80 && h.equals(name))) return true;
        }
        return false;
    }

    /** Untrusted text for a message: quoted, printable ASCII only, cut to 80 characters. */
    static String quoted(String s) {
        if (s == null) return "no host";
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append(s.length() > 80 ? "…'" : "'").toString();
    }

    private void answerAndClose(Connection c, HttpResponse response) {
        response.close = true;
        send(c, response);
    }

    /** Starts writing an answer (on the socket thread). */
    private void send(Connection c, HttpResponse response) {
        if (!c.channel.isOpen()) return;
        c.withWorker = false;
        c.out = response.toBuffers();
        c.closeAfterWrite = response.close;
        c.deadline = System.nanoTime() + ms(WRITE_TIMEOUT_MS);
        try {
            write(c);
        } catch (IOException e) {
            close(c);
        }
    }

    private void write(Connection c) throws IOException {
        if (c.out == null) return;
        c.channel.write(c.out);
        if (c.out[c.out.length - 1].hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE); // the client's window is full: go on when it reads
            return;
        }
        c.out = null;
        long now = System.nanoTime();
        if (c.closeAfterWrite) {
            // Half-close and drop what still arrives for a moment: closing a socket with unread
            // bytes sends a reset, which can destroy the answer before the client reads it.
            c.channel.shutdownOutput();
            c.lingering = true;
            c.deadline = now + ms(LINGER_MS);
            c.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        c.deadline = now + ms(HEAD_TIMEOUT_MS);
        c.key.interestOps(SelectionKey.OP_READ);
        takeRequest(c); // a pipelined request may be waiting already
    }

    private void enforceDeadlines(long now) {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            listener.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
        }
        List<Connection> late = new ArrayList<>();
        for (Connection c : connections) if (!c.withWorker && now - c.deadline > 0) late.add(c);
        for (Connection c : late) {
            if (c.waitingForRequest() && c.in.position() > 0) {
                answerAndClose(c, HttpResponse.text(408, "408 request timeout: the request line and headers did not arrive within "
                        + HEAD_TIMEOUT_MS / 1000 + " s"));
            } else {
                close(c); // an idle connection, an answer not taken, or lingering over
            }
        }
    }

    private void close(Connection c) {
        connections.remove(c);
        c.key.cancel();
        closeQuietly(c.channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true); // never keeps the JVM alive on its own
        return t;
    }
}
