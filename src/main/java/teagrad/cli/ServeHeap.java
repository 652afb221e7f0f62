package teagrad.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * serve's memory. The JVM sizes its heap for the machine (on 24 GB: 384 MB to start, young
 * objects filling up to 60% of it between collections, and more once collections look costly),
 * so a server that allocates a kilobyte or two per request touches hundreds of MB within seconds
 * of load, for a few MB of files. serve needs little: it asks the collector to keep at most 30%
 * of the heap free, and whenever the heap has grown past {@value #CEILING_MB} MB it collects,
 * which gives the rest back to the system. With 200 clients at once that costs a full collection
 * of a few MB of live objects every second or two; idle, nothing.
 *
 * <p>Called by {@link Main#main} for {@code serve} alone: it sets the policy of the whole JVM,
 * which in tests is the test runner's.
 */
final class ServeHeap {
    static final int CEILING_MB = 64;

    private ServeHeap() {}

    static void keepSmall() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            vm.setVMOption("MinHeapFreeRatio", "10"); // lower the minimum first: it must stay below the maximum
            vm.setVMOption("MaxHeapFreeRatio", "30");
        } catch (RuntimeException notHotSpot) {
            // another JVM keeps its own sizing; the collections below still bound it
        }
        Runtime runtime = Runtime.getRuntime();
        Thread watch = new Thread(() -> {
            while (true) {
                if (runtime.totalMemory() > (long) CEILING_MB << 20) System.gc(); // collects, then shrinks to 30% free
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "teagrad-serve-heap");
        watch.setDaemon(true);
        System.gc(); // now, while nearly empty: from 384 MB committed to a few
        watch.start();
    }
}
