package teagrad.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy that Chromium sends every request through, the workers' included (which the
 * page's own network log does not show). It records each URL with its Referer, forwards those
 * for the app's origin and refuses all others, so a test can assert that nothing the page or
 * its workers asked for left the origin. (The browser's own background requests, e.g. its
 * component updater, carry no Referer; requests from a page or worker do.)
 */
final class RecordingProxy implements AutoCloseable {
    /** One request: its URL (or "CONNECT host:port"), Referer header (null if none) and body bytes served. */
    record Request(String url, String referer, long bytes) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final String origin;
    private final HttpClient client = HttpClient.newHttpClient();

    RecordingProxy(String origin) throws IOException {
        this.origin = origin;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "recording-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                forward(exchange);
            } catch (IOException | InterruptedException | RuntimeException e) {
                exchange.sendResponseHeaders(502, -1);
            }
        });
        server.start();
    }

    /** For Chromium: --proxy-server=… and, so loopback goes through it too, --proxy-bypass-list=<-loopback>. */
    String address() { return "127.0.0.1:" + server.getAddress().getPort(); }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        URI uri = exchange.getRequestURI();
        String url = uri.isAbsolute() ? uri.toString() : exchange.getRequestMethod() + " " + uri;   // CONNECT host:443 stays visible
        String referer = exchange.getRequestHeaders().getFirst("Referer");
        if (!url.startsWith(origin + "/") || !"GET".equals(exchange.getRequestMethod())) {
            requests.add(new Request(url, referer, 0));
            exchange.sendResponseHeaders(403, -1);
            return;
        }
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                || name.equalsIgnoreCase("connection") || name.startsWith(":")) continue;
            exchange.getResponseHeaders().put(name, h.getValue());
        }
        byte[] body = r.body();
        requests.add(new Request(url, referer, body.length));
        exchange.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) exchange.getResponseBody().write(body);
    }

    @Override
    public void close() { server.stop(0); }
}
