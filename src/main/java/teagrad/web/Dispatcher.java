package teagrad.web;

import java.util.Set;
import teagrad.diagnostics.Diagnostics;
import teagrad.experiments.LrFinder;
import teagrad.inference.EvalModes;
import teagrad.train.Trainer;

/**
 * The worker's logic: each page message becomes {@link Session} calls and the replies
 * {@link Protocol} lists; training runs in the {@link Scheduler}'s slices. Pure Java: the
 * browser glue ({@link WorkerMain}) hands it messages, a port to post to, a clock and a timer.
 * Every message and every slice that throws is answered by one error (or, for a loss gone
 * NaN/Inf, diverged) and leaves the worker ready for the next message.
 */
class Dispatcher implements Scheduler.Events {
    /** The bench worker's messages: the product worker names them in its refusal. */
    private static final Set<String> BENCH_ONLY = Set.of("baseline", "profile", "views", "kernels");

    final Session session = new Session();
    final Port out;
    final Scheduler scheduler;
    private final Scheduler.Clock clock;
    private final Scheduler.Timer timer;
    /** The learning-rate finder under way, or null; it trains a model of its own, not the session's. */
    private LrFinder finder;

    Dispatcher(Port out, Scheduler.Clock clock, Scheduler.Timer timer) {
        this.out = out;
        this.clock = clock;
        this.timer = timer;
        this.scheduler = new Scheduler(session, clock, timer, this);
    }

    /** The first message: the page waits for it (messages sent before the worker listened would be lost). */
    void ready(String engine, boolean simd) { ready(engine, simd, null); }

    void ready(String engine, boolean simd, Message boot) {
        out.post(Protocol.ready(out, engine, simd, boot));
    }

    void receive(Message msg) {
        String type = Protocol.type(msg);
        try {
            handle(type, msg);
        } catch (Throwable e) {
            fail(type, e);
        }
    }

    /** One message; @throws anything, which {@link #receive} answers with an error */
    void handle(String type, Message msg) {
        switch (type) {
            case "data":
                scheduler.stop();
                session.loadWords(Protocol.text(msg, "text", "word list text"));
                postDataset();
                postModel(type);
                diagnostics();
                break;
            case "ahead":   // no answer; once a list is loaded it comes too late to help
                if (session.hasWords()) break;
                session.readAhead(Protocol.text(msg, "text", "word list text"));
                // The warm-up in a task of its own: page messages that came meanwhile (the list itself) go first.
                timer.later(session::warmUp);
                break;
            case "configure":
                scheduler.stop();
                session.configure(Protocol.config(msg, session.config()));
                postDataset();
                postModel(type);
                diagnostics();
                break;
            case "preset":
                scheduler.stop();
                session.preset(Protocol.text(msg, "name", "preset name"));
                postDataset();
                postModel(type);
                progress();
                diagnostics();
                break;
            case "inspect":
                session.inspect(Protocol.whole(msg, "layer"));
                diagnostics();
                break;
            case "reset":
                scheduler.stop();
                session.reset();
                postModel(type);
                progress();
                diagnostics();
                break;
            case "start":
                if (scheduler.running()) return;
                requireStepsLeft();
                session.requireTrainer();
                scheduler.start();
                break;
            case "pause":
                scheduler.stop();
                progress();
                out.post(Protocol.step(out, "paused", session.step()));
                break;
            case "step":
                if (scheduler.running()) return;
                requireStepsLeft();
                session.train(1);
                progress();
                diagnostics();
                if (session.devDue()) dev();
                break;
            case "evaluate":
                postLosses();
                break;
            case "sample":
                int count = Protocol.whole(msg, "count");
                boolean[] known = new boolean[Math.max(0, Math.min(count, 1000))];
                String[] names = session.sample(count, Protocol.seed(msg, "seed"), known);
                out.post(Protocol.samples(out, names, known));
                break;
            case "export":
                out.post(out.message("exported").put("json", session.exportModel()));
                break;
            case "snapshot":   // the page's store of the current run (the page keeps the curve itself)
                out.post(out.message("snapshot").put("json", session.snapshot()).put("step", session.step()));
                break;
            case "import":
                session.importModel(Protocol.text(msg, "json", "model file text"));
                scheduler.stop();
                postModel(type);
                if (session.data() != null) postDataset();
                progress();
                diagnostics();
                if (!session.history().isEmpty()) out.post(Protocol.history(out, session.history(), session.step()));
                break;
            case "lrfind":
                if (session.data() == null) throw new IllegalArgumentException("no word list loaded yet");
                LrFinder f = new LrFinder(session.config(), session.data());
                finder = f;   // a finder already under way stops: its next slice sees it is no longer the one
                timer.later(() -> findSlice(f));
                break;
            case "replay":     // the scrubber: the views at an earlier step
                out.post(Protocol.replay(out, session, session.snapshotNear(Protocol.whole(msg, "step"))));
                break;
            case "batchnorm":
                out.post(Protocol.batchNorm(out, session, Protocol.whole(msg, "layer"), Protocol.whole(msg, "unit")));
                break;
            case "evalmodes": {
                double start = clock.now();
                EvalModes e = session.evalModes();
                out.post(Protocol.evalModes(out, session.step(), e, clock.now() - start));
                break;
            }
            case "coupling": {
                int k = Protocol.whole(msg, "k");
                long seed = Protocol.seed(msg, "seed");
                out.post(Protocol.coupling(out, session, session.coupling(msg.string("letters"), msg.string("next"), k, seed)));
                break;
            }
            case "check": {
                boolean lecture = Boolean.TRUE.equals(msg.get("lecture"));
                out.post(Protocol.check(out, session.check(lecture, Boolean.TRUE.equals(msg.get("besselMismatch"))), lecture));
                break;
            }
            case "history":    // a resumed run: the curve it had, from the page's store
                Protocol.Curve curve = Protocol.curve(msg);
                session.restoreHistory(curve.losses(), curve.devSteps(), curve.devLosses());
                break;
            default:
                if (BENCH_ONLY.contains(type)) throw new IllegalArgumentException("'" + type + "' is for bench/ only (open the page with ?bench)");
                throw new IllegalArgumentException("unknown message type '" + type + "'");
        }
    }

    /** About one slice of the finder's steps, then the curve so far; the next slice after the messages queued meanwhile. */
    private void findSlice(LrFinder f) {
        if (f != finder) return;
        try {
            double start = clock.now();
            f.runSteps(() -> {
                do {
                    for (int i = 0; i < 8; i++) f.step();
                } while (!f.finished() && clock.now() - start < Scheduler.SLICE_MS);
            });
        } catch (Throwable e) {
            finder = null;
            fail("lrfind", e);
            return;
        }
        out.post(Protocol.lrfind(out, f));
        if (f.finished()) finder = null;
        else timer.later(() -> findSlice(f));
    }

    private void requireStepsLeft() {
        if (session.finished()) throw new IllegalArgumentException("the run has reached its " + session.config().steps + " steps: Reset, or raise Steps");
    }

    /** The one error path, for every message and every slice: during is what was being done. */
    private void fail(String during, Throwable e) {
        if (e instanceof Trainer.Diverged d) {   // training stops at the step whose loss went NaN/Inf; the model stays as before it
            scheduler.stop();
            progress();
            out.post(Protocol.diverged(out, d.step, d.getMessage()));
            return;
        }
        Failure f = Failure.of(during, e);
        if (f.stopsTraining()) scheduler.stop();
        out.post(Protocol.error(out, f));
    }

    // ---- what the slices report (Scheduler.Events), and the replies shared by several messages ----

    @Override public void progress() {
        session.logBatchNorms();   // after a Step too (a slice logs as it goes)
        out.post(Protocol.progress(out, session, scheduler.running(), scheduler.stepsPerSecond()));
    }

    @Override public void dev() {
        out.post(Protocol.dev(out, session.step(), session.devLoss()));
    }

    @Override public void diagnostics() {
        Diagnostics d = session.diagnostics();
        if (d == null) return;
        scheduler.diagnosed();
        out.post(Protocol.diagnostics(out, session, d));
    }

    @Override public void done() {
        progress();
        diagnostics();
        postLosses();
        out.post(Protocol.step(out, "done", session.step()));
    }

    @Override public void failed(Throwable e) { fail("train", e); }

    private void postLosses() {
        out.post(Protocol.losses(out, session.step(), session.evaluate()));
    }

    private void postDataset() {
        if (session.data() != null) out.post(Protocol.dataset(out, session));
    }

    private void postModel(String cause) {
        if (session.model() != null) out.post(Protocol.model(out, session, cause));
    }
}
