package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;
import teagrad.data.Dataset;
import teagrad.diagnostics.EmbeddingPlane;
import teagrad.experiments.LrFinder;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.model.Presets;

/**
 * The worker's messages for the page's experiments: lrfind runs the learning-rate finder in
 * slices beside the run (whose model it leaves alone), and the diagnostics carry the embedding
 * table in the plane.
 */
class ExperimentMessagesTest {
    final ListPort page = new ListPort();
    final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    double time;
    /** A clock that moves 1 ms each time it is read, and a timer whose tasks the test runs. */
    final Dispatcher worker = new Dispatcher(page, () -> time++, queued::add);

    void load(Config c) {
        worker.receive(ProtocolTest.configure(c));
        worker.receive(MapMessage.of("data", "text", SessionTest.words()));
        page.take();
    }

    @Test
    void lrfindPostsTheCurveSliceBySliceAndEndsWithTheFindersSuggestion() {
        Config c = ProtocolTest.small();
        load(c);
        String before = worker.session.snapshot();
        worker.receive(MapMessage.of("lrfind"));
        int slices = 0;
        while (!queued.isEmpty()) {
            queued.poll().run();
            slices++;
        }
        List<MapMessage> curves = page.posted.stream().filter(m -> "lrfind".equals(m.string("type"))).toList();
        assertEquals(slices, curves.size(), "a curve after every slice");
        assertTrue(slices > 1, "in slices, so other messages are answered between them: " + slices);
        MapMessage last = curves.get(curves.size() - 1);
        assertEquals(Boolean.TRUE, last.get("done"));
        assertEquals(LrFinder.STEPS, (int) last.number("count"));

        LrFinder jvm = LrFinder.run(c, new Dataset(java.util.Arrays.asList(SessionTest.words().split("\n")), c.blockSize, c.seed));
        assertArrayEquals(jvm.losses(), last.floats("losses"), "the finder's curve, point for point");
        assertEquals(jvm.suggestion(), (float) last.number("suggestion"));
        assertEquals(before, worker.session.snapshot(), "the run's model is untouched");
    }

    @Test
    void theDiagnosticsCarryTheEmbeddingInThePlane() {
        Config c = Presets.apply("embed2", ProtocolTest.small());
        load(c);
        worker.receive(MapMessage.of("step"));
        MapMessage plane = (MapMessage) page.last("diagnostics").raw("plane");
        Model m = worker.session.model();
        EmbeddingPlane p = EmbeddingPlane.of(m.net.embedding());
        assertArrayEquals(p.x, plane.floats("x"));
        assertArrayEquals(p.y, plane.floats("y"));
        assertEquals(m.vocab.size(), plane.floats("x").length, "a point per character");
        assertFalse(plane.bool("projected"));
    }
}
