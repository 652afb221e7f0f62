import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Slow clients against a running `serve`: opens N connections that each send one byte and then
 * nothing, times a normal request while they are held, then waits for the server to close them.
 * Prints one line per figure. Run as a single-file program (bench/serve calls it):
 *   java bench/ServeProbe.java PORT N [seconds to wait for the closes, default 30]
 */
public final class ServeProbe {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int held = Integer.parseInt(args[1]);
        int waitSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;

        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < held; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.getOutputStream().write('G'); // the first byte of "GET", and then silence
            s.getOutputStream().flush();
            slow.add(s);
        }
        long opened = System.nanoTime();
        Thread.sleep(200); // let the server take them all in

        long t0 = System.nanoTime();
        String status;
        try {
            status = normalRequest(port);
        } catch (IOException e) {
            status = "failed (" + e + ")";
        }
        double normalMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "%d slow connections held: a normal GET / answered %s in %.0f ms%n", held, status, normalMs);

        // Each held socket: wait for end-of-stream (or reset) from the server, up to the limit.
        int closed = 0;
        double lastCloseS = 0;
        for (Socket s : slow) {
            long deadline = opened + waitSeconds * 1_000_000_000L;
            boolean gone = false;
            while (!gone && System.nanoTime() < deadline) {
                s.setSoTimeout((int) Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
                try {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) { /* whatever the server says before closing */ }
                    gone = true;
                } catch (SocketTimeoutException stillOpen) {
                    // keep waiting
                } catch (IOException reset) {
                    gone = true;
                }
            }
            if (gone) {
                closed++;
                lastCloseS = Math.max(lastCloseS, (System.nanoTime() - opened) / 1e9);
            }
            s.close();
        }
        System.out.printf(Locale.ROOT, "closed by the server: %d of %d, the last %.1f s after opening (waited up to %d s)%n",
                closed, held, lastCloseS, waitSeconds);
    }

    private static String normalRequest(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream os = s.getOutputStream();
            os.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            os.flush();
            byte[] all = s.getInputStream().readAllBytes();
            String head = new String(all, 0, Math.min(all.length, 15), StandardCharsets.ISO_8859_1);
            return head.startsWith("HTTP/1.1 ") ? head.substring(9, 12) : "nothing";
        }
    }
}
