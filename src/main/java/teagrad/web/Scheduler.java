package teagrad.web;

import teagrad.model.Config;

/**
 * When the worker trains: in slices of about {@link #SLICE_MS} so that Pause, Sample or Evaluate
 * are answered between them (a run's first slice is one step, so that the curve's first point shows
 * without waiting for 32 steps of code not yet compiled), with progress reported once per slice, the dev loss when it is due,
 * the diagnostics views at most every {@link #DIAGNOSTICS_MS}, and the speed in steps/s over the
 * last quarter second or more. The clock and the timer are given, so the JVM tests drive it
 * with a clock of their own.
 */
final class Scheduler {
    static final double SLICE_MS = 40;
    /** The diagnostics views are refreshed at most this often while training (they cost ~1% then). */
    static final double DIAGNOSTICS_MS = 250;
    /** The speed is measured over at least this long. */
    static final double RATE_MS = 250;
    /** Steps trained between looks at the clock (and never past the next dev loss). */
    static final int STEPS_PER_LOOK = 32;

    /** Milliseconds since some fixed time (performance.now() in the worker). */
    interface Clock { double now(); }

    /** Runs a task after the messages already queued (in the worker, a MessageChannel round trip). */
    interface Timer { void later(Runnable task); }

    /** What the slices report; the worker posts each as a message. */
    interface Events {
        void progress();
        void dev();
        void diagnostics();
        /** The run reached its steps. */
        void done();
        /** A slice threw (a diverged loss among others); training has stopped. */
        void failed(Throwable e);
    }

    private final Session session;
    private final Clock clock;
    private final Timer timer;
    private final Events events;
    private boolean running;
    private boolean viewsLive = true;
    private double rateSince;      // time of the speed's last measurement
    private int rateFromStep;      // the step then
    private double stepsPerSecond;
    private double diagnosedAt = Double.NEGATIVE_INFINITY;
    private boolean firstSlice;    // the run's first slice is one step: its curve starts at once

    Scheduler(Session session, Clock clock, Timer timer, Events events) {
        this.session = session;
        this.clock = clock;
        this.timer = timer;
        this.events = events;
    }

    boolean running() { return running; }

    /** Starts slicing, unless it already runs. */
    void start() {
        if (running) return;
        running = true;
        firstSlice = true;
        rateSince = clock.now();
        rateFromStep = session.step();
        timer.later(this::slice);
    }

    /** Stops after the slice that runs now, if any: the next one does nothing. */
    void stop() { running = false; }

    /** bench/: whether the slices send the diagnostics views (an A/B of what they cost). */
    void viewsLive(boolean live) { viewsLive = live; }

    /** The diagnostics were just sent (by a slice or by a message): the next are due {@link #DIAGNOSTICS_MS} later. */
    void diagnosed() { diagnosedAt = clock.now(); }

    /** Steps/s while running, measured over {@link #RATE_MS} or more; 0 when not running. */
    double stepsPerSecond() {
        double now = clock.now();
        int step = session.step();
        if (now - rateSince > RATE_MS || step < rateFromStep) {
            if (step >= rateFromStep && now > rateSince) stepsPerSecond = (step - rateFromStep) * 1000 / (now - rateSince);
            rateSince = now;
            rateFromStep = step;
        }
        return running ? stepsPerSecond : 0;
    }

    /** One slice of training; schedules the next after the page's messages had their turn. */
    void slice() {
        if (!running) return;
        try {
            double start = clock.now(), budget = firstSlice ? 0 : SLICE_MS;
            Config c = session.config();
            int look = firstSlice ? 1 : STEPS_PER_LOOK;   // the first steps run in baseline code: 1-3 ms each, not 0.2
            firstSlice = false;
            do {
                int toDev = c.evalEvery - session.step() % c.evalEvery;
                session.train(Math.min(look, toDev));
                session.logBatchNorms();   // the statistics panel's history: ~20 µs per 32 steps
                if (session.devDue()) {
                    events.progress();
                    events.dev();
                }
                if (session.finished()) {
                    running = false;
                    events.done();
                    return;
                }
            } while (running && clock.now() - start < budget);
            events.progress();
            if (viewsLive && clock.now() - diagnosedAt >= DIAGNOSTICS_MS) events.diagnostics();
            timer.later(this::slice);
        } catch (Throwable e) {   // an Error too: a slice that throws must never leave running set
            running = false;
            events.failed(e);
        }
    }
}
