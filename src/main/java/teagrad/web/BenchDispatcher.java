package teagrad.web;

import org.teavm.classlib.PlatformDetector;
import teagrad.bench.Baseline;
import teagrad.bench.StepProfile;
import teagrad.model.Config;

/**
 * bench/'s messages, on top of the product's ({@link Protocol} lists them): the naive-kernel
 * yardstick timed in this worker (baseline), where a step's time goes op by op (profile), the
 * diagnostics views switched off to time what they cost (views), the SIMD products checked
 * against the float[] ones bit for bit (kernels), and the time each dev loss took.
 */
final class BenchDispatcher extends Dispatcher {
    private final Scheduler.Clock clock;

    BenchDispatcher(Port out, Scheduler.Clock clock, Scheduler.Timer timer) {
        super(out, clock, timer);
        this.clock = clock;
    }

    @Override void handle(String type, Message msg) {
        switch (type) {
            case "baseline":
                baseline(msg.number("ms"));
                break;
            case "profile":
                if (session.data() == null) throw new IllegalArgumentException("profile: no word list loaded yet");
                if (scheduler.running()) throw new IllegalArgumentException("profile: pause training first");
                // StepProfile checks reps
                out.post(out.message("profile").put("text", StepProfile.table(session.config(), session.data(), (int) msg.number("reps"), clock::now)));
                break;
            case "views":
                scheduler.viewsLive(Boolean.TRUE.equals(msg.get("live")));
                break;
            case "kernels":
                java.util.function.Supplier<teagrad.autograd.Kernels.Scratch> simd = PlatformDetector.isWebAssemblyGC()
                    ? (Simd.loaded() ? Simd.MemoryScratch::new : null)
                    : (JsSimd.loaded() ? JsSimd::scratch : null);
                teagrad.train.Parameters weights = PlatformDetector.isWebAssemblyGC() && Simd.loaded() ? new SimdWeights() : null;
                String json = SimdCheck.check(Protocol.whole(msg, "cases"), Protocol.whole(msg, "seed"), simd, weights);
                out.post(out.message("kernels").put("json", json));
                break;
            default:
                super.handle(type, msg);
        }
    }

    /** The dev loss with the ms it took. */
    @Override public void dev() {
        double start = clock.now();
        double loss = session.devLoss();
        out.post(Protocol.dev(out, session.step(), loss).put("ms", clock.now() - start));
    }

    /** Steps/s of the naive i-j-k baseline for the current sizes, over {@code ms} of this worker's time. */
    private void baseline(double ms) {
        if (!(ms > 0 && ms <= 60_000)) throw new IllegalArgumentException("baseline: ms must be in (0, 60000]");
        if (session.data() == null) throw new IllegalArgumentException("baseline: no word list loaded yet");
        Config c = session.config();
        Baseline b = new Baseline(c.batchSize, c.blockSize * c.embedDim, c.widths[0], session.data().vocab.size());
        double start = clock.now();
        int steps = 0;
        float sink = 0;
        while (clock.now() - start < ms) {
            sink += b.step();
            steps++;
        }
        out.post(out.message("baseline").put("stepsPerSecond", steps * 1000 / (clock.now() - start)).put("checksum", sink));
    }
}
