package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import teagrad.model.Config;
import teagrad.modelfile.ModelFile;

/**
 * Training in slices, on the JVM with a clock of the test's own, where every training step takes
 * exactly a millisecond, and a timer whose tasks the test runs one by one, as the page's messages
 * would queue between them.
 */
class SchedulerTest {
    final ArrayDeque<Runnable> timer = new ArrayDeque<>();
    final ListPort page = new ListPort();
    final List<Double> diagnosedAt = new ArrayList<>();
    Dispatcher worker;

    @BeforeEach
    void loaded() {
        Port timed = new Port() {   // notes when each diagnostics message goes out
            @Override public Message object() { return page.object(); }
            @Override public void post(Message m) {
                if ("diagnostics".equals(((MapMessage) m).string("type"))) diagnosedAt.add((double) worker.session.step());
                page.post(m);
            }
        };
        worker = new Dispatcher(timed, () -> worker.session.step(), timer::add);   // 1 ms a step
        Config c = ProtocolTest.small();
        c.steps = 700;
        c.evalEvery = 100;
        worker.receive(ProtocolTest.configure(c));
        worker.receive(MapMessage.of("data", "text", SessionTest.words()));
        page.take();
        diagnosedAt.clear();
    }

    /** Runs the next queued slice; false when none is queued. */
    boolean slice() {
        Runnable task = timer.poll();
        if (task != null) task.run();
        return task != null;
    }

    @Test
    void startQueuesTheFirstSliceAndTrainsNothingYet() {
        worker.receive(MapMessage.of("start"));
        assertEquals(1, timer.size());
        assertEquals(0, worker.session.step());
        assertTrue(worker.scheduler.running());
        worker.receive(MapMessage.of("start"));
        assertEquals(1, timer.size(), "a second start while running changes nothing");
    }

    @Test
    void aRunsFirstSliceIsOneStepThenSlicesTrainForFortyMillisecondsStoppingAtEachDevLoss() {
        worker.receive(MapMessage.of("start"));
        slice();
        // the first slice: one step, reported at once, so the curve starts before 32 cold steps have run
        assertEquals(1, worker.session.step());
        assertEquals(List.of("progress"), page.take());
        assertEquals(1, timer.size(), "the next slice waits behind the page's messages");
        slice();
        // 32 steps between looks at the clock; after 64 ms the slice is over
        assertEquals(65, worker.session.step());
        assertEquals(List.of("progress"), page.take());
        slice();
        // 32 steps, 3 to the dev loss at step 100, then 32: 67 ms
        assertEquals(132, worker.session.step());
        assertEquals(List.of(100.0, 100.0, 132.0), page.posted.stream().map(m -> m.number("step")).toList());
        assertEquals(List.of("progress", "dev", "progress"), page.take());
        worker.receive(MapMessage.of("pause"));
        worker.receive(MapMessage.of("start"));
        page.take();
        slice();
        assertEquals(133, worker.session.step(), "a run started again begins with one step too");
    }

    @Test
    void pauseStopsTrainingBeforeTheNextSlice() {
        worker.receive(MapMessage.of("start"));
        slice();
        worker.receive(MapMessage.of("pause"));
        int step = worker.session.step();
        MapMessage progress = page.last("progress");
        assertFalse(progress.bool("running"));
        assertEquals(0.0, progress.number("stepsPerSecond"), "no speed while paused");
        assertEquals(List.of("progress", "progress", "paused"), page.take());
        assertTrue(slice(), "the slice queued before the pause");
        assertEquals(step, worker.session.step(), "trains nothing");
        assertFalse(slice(), "and queues no other");
    }

    @Test
    void theRunEndsWithProgressDiagnosticsLossesAndDone() {
        worker.receive(MapMessage.of("start"));
        while (slice()) { }
        assertEquals(700, worker.session.step());
        assertFalse(worker.scheduler.running());
        List<String> types = page.take();
        assertEquals(List.of("progress", "dev", "progress", "diagnostics", "losses", "done"), types.subList(types.size() - 6, types.size()));
        assertEquals(7, types.stream().filter("dev"::equals).count(), "a dev loss every 100 steps");
    }

    @Test
    void theViewsAreSentAtMostEveryQuarterSecond() {
        worker.receive(MapMessage.of("start"));
        while (slice()) { }
        assertTrue(diagnosedAt.size() >= 3, diagnosedAt.toString());
        for (int i = 1; i < diagnosedAt.size() - 1; i++) {   // the last one is the end's
            assertTrue(diagnosedAt.get(i) - diagnosedAt.get(i - 1) >= Scheduler.DIAGNOSTICS_MS, diagnosedAt.toString());
        }
    }

    @Test
    void theSpeedIsStepsOverTheClocksTimeWhileRunning() {
        worker.receive(MapMessage.of("start"));
        for (int i = 0; i < 6; i++) slice();
        assertEquals(1000.0, page.last("progress").number("stepsPerSecond"), "a step a millisecond");
    }

    @Test
    void aLossThatGoesNaNStopsTheRunAtItsStepAndSaysSo() {
        // Weights of 3e38 make the logits overflow: a step's loss is not finite. (Edited by hand, so without its checksum.)
        String huge = ModelFile.write(worker.session.model(), 0)
            .replaceFirst("(\"type\": \"linear\", \"weight\": \\{\"shape\": \\[16, \\d+\\], \"data\": \\[)[^,]+", "$13.0E38")
            .replaceFirst(",\\s*\"crc32\": \"[0-9a-f]{8}\"", "");
        worker.receive(MapMessage.of("import", "json", huge));
        assertEquals("model", page.take().get(0), "imported");
        worker.receive(MapMessage.of("start"));
        while (slice()) { }
        assertFalse(worker.scheduler.running(), "never left running");
        MapMessage diverged = page.last("diverged");
        assertEquals(worker.session.step() + 1, diverged.number("step"), "the model stays as before the diverging step");
        assertTrue(diverged.string("message").contains("step " + (worker.session.step() + 1)), diverged.toString());
        List<String> types = page.take();
        assertEquals(List.of("progress", "diverged"), types.subList(types.size() - 2, types.size()));
    }
}
