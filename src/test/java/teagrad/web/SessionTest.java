package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import teagrad.model.Config;
import teagrad.modelfile.ModelFile;
import teagrad.train.Trainer;

/** The worker's state machine, on the JVM: every refusal leaves the previous state intact. */
class SessionTest {
    static String words() {
        List<String> w = new ArrayList<>();
        for (String a : new String[] {"ann", "bob", "cid", "dee", "eve", "fay", "gus", "hal", "ivy", "jon"}) {
            for (String b : new String[] {"a", "e", "o", "ie", "y"}) w.add(a + b);
        }
        return String.join("\n", w) + "\n";
    }

    static Session trained(int steps) {
        Session s = new Session();
        Config c = new Config();
        c.widths = new int[] {16};
        c.steps = 1000;
        s.configure(c);
        s.loadWords(words());
        s.train(steps);
        return s;
    }

    @Test
    void trainingCountsStepsAndHandsOverEachBatchLossOnce() {
        Session s = trained(25);
        assertEquals(25, s.step());
        float[] losses = s.takeLosses();
        assertEquals(25, losses.length);
        for (float l : losses) assertTrue(l > 0 && Float.isFinite(l));
        assertEquals(0, s.takeLosses().length, "taken losses are not reported twice");
    }

    @Test
    void aBadWordListOrConfigLeavesModelAndStepUntouched() {
        Session s = trained(10);
        String before = s.exportModel();
        assertThrows(IllegalArgumentException.class, () -> s.loadWords("\n\n  \n"));
        assertThrows(IllegalArgumentException.class, () -> s.loadWords("a.b\n"));
        Config bad = s.config();
        bad.batchSize = 1;
        assertThrows(IllegalArgumentException.class, () -> s.configure(bad));
        assertEquals(10, s.step());
        assertEquals(before, s.exportModel());
    }

    @Test
    void aCorruptModelFileIsRefusedAndTheCurrentModelStays() {
        Session s = trained(10);
        String before = s.exportModel();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.importModel(before.replace("\"version\": 2", "\"version\": 9")));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.importModel(before.substring(0, before.length() / 2)));
        assertEquals(before, s.exportModel());
    }

    @Test
    void anExportedModelImportsAndContinuesFromItsStep() {
        Session s = trained(30);
        String file = s.exportModel();
        Session t = new Session();
        t.loadWords(words());
        t.importModel(file);
        assertEquals(30, t.step());
        t.requireTrainer();   // trainable: no exception
        assertEquals(file, t.exportModel(), "import then export gives the same file");
        t.train(5);
        assertEquals(35, t.step());
    }

    @Test
    void aDivergingRunStopsAtItsStepAndKeepsTheModelAsBefore() {
        Session s = trained(10);
        // Weights of 3e38 make the logits overflow: the next step's loss is not finite. (Edited
        // by hand, so without the checksum that would refuse the edit.)
        String huge = ModelFile.write(s.model(), s.step()).replaceFirst("(\"type\": \"linear\", \"weight\": \\{\"shape\": \\[16, \\d+\\], \"data\": \\[)[^,]+", "$13.0E38")
            .replaceFirst(",\n \"crc32\": \"[0-9a-f]{8}\"", "");
        s.importModel(huge);
        String before = null;
        Trainer.Diverged d = null;
        for (int i = 0; i < 20 && d == null; i++) {
            before = s.exportModel();
            try {
                s.train(1);
            } catch (Trainer.Diverged e) {
                d = e;
            }
        }
        assertTrue(d != null, "the run diverged within 20 steps");
        assertEquals(d.step - 1, s.step(), "the step count stops before the diverging step");
        assertTrue(d.getMessage().contains("step " + d.step), d.getMessage());
        assertEquals(before, s.exportModel(), "the model is kept as it was before the diverging step");
    }

    @Test
    void samplesAreMarkedNewOrKnownAndRepeatForTheSameSeed() {
        Session s = trained(200);
        boolean[] k1 = new boolean[20], k2 = new boolean[20];
        String[] a = s.sample(20, 5, k1), b = s.sample(20, 5, k2);
        assertArrayEquals(a, b);
        assertArrayEquals(k1, k2);
        for (int i = 0; i < a.length; i++) assertEquals(s.data().isTrainingWord(a[i]), k1[i]);
        assertThrows(IllegalArgumentException.class, () -> s.sample(0, 5, new boolean[0]));
    }

    @Test
    void aModelWhoseVocabularyDiffersCanSampleButNotTrain() {
        Session s = trained(10);
        String file = s.exportModel();
        Session t = new Session();
        t.loadWords("xyz\nzyx\nqqq\n");
        t.importModel(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::requireTrainer);
        assertTrue(e.getMessage().contains("vocabulary"), e.getMessage());
        assertEquals(3, t.sample(3, 1, new boolean[3]).length);
    }

    @Test
    void afterImportingAModelOfAnotherVocabularyANewSettingBuildsAFreshModelOnTheWordList() {
        String file = trained(40).exportModel();   // vocabulary of words()
        Session t = new Session();
        t.loadWords("xyz\nzyx\nqqq\nzzz\n");
        t.importModel(file);
        assertEquals(40, t.step(), "the imported model keeps its step");
        Config c = t.config();
        c.widths = new int[] {8};
        t.configure(c);   // was refused, with the imported model already replaced and still labelled step 40
        assertEquals(0, t.step(), "a fresh model starts at step 0");
        assertEquals(".qxyz", t.model().vocab.toString(), "built on the loaded word list");
        t.requireTrainer();
        t.train(3);
        assertEquals(3, t.step());
    }

    @Test
    void aRefusedSettingAfterAnImportLeavesTheImportedModelAndItsStep() {
        String file = trained(40).exportModel();
        Session t = new Session();
        t.loadWords("xyz\nzyx\nqqq\nzzz\n");
        t.importModel(file);
        Config bad = t.config();
        bad.lr = -1;
        assertThrows(IllegalArgumentException.class, () -> t.configure(bad));
        assertEquals(40, t.step());
        assertEquals(file, t.exportModel(), "the imported model, untouched");
    }

    @Test
    void theRunsCurveTravelsWithTheModelFile() {
        Session s = trained(30);
        s.devLoss();
        String file = s.exportModel();
        Session t = new Session();
        t.loadWords(words());
        t.importModel(file);
        assertEquals(30, t.history().size());
        assertArrayEquals(s.history().losses(), t.history().losses());
        assertArrayEquals(new int[] {30}, t.history().devSteps());
        t.train(5);
        assertEquals(35, t.history().size(), "the curve goes on");
        assertFalse(t.snapshot().contains("history"), "a snapshot leaves the curve to the page");
        assertThrows(IllegalArgumentException.class, () -> t.restoreHistory(new float[36], new int[0], new float[0]), "more losses than steps");
        t.restoreHistory(new float[] {3f, 2.5f}, new int[] {2}, new float[] {2.6f});
        assertEquals(2, t.history().size());
    }

    @Test
    void anImportedModelIsProbedSoTheViewsShowItsStatisticsAtOnce() {
        Session s = trained(30);
        Session t = new Session();
        t.loadWords(words());
        t.importModel(s.exportModel());
        teagrad.diagnostics.Diagnostics d = t.diagnostics();
        assertTrue(d.tanh.get(0).out.std > 0, "the tanh layer's outputs of a probed batch, not zeros: std " + d.tanh.get(0).out.std);
        assertTrue(d.weights.get(0).gradStd > 0, "and their gradients");
        assertEquals(30, t.step(), "probing takes no step");
        assertEquals(s.exportModel(), t.exportModel(), "nor changes the model or its running statistics");
    }

    @Test
    void theMinibatchGeneratorTravelsWithTheModelSoAnImportedRunGoesOnExactly() {
        Session s = trained(30);
        String file = s.exportModel();
        assertTrue(file.contains("\"batchRng\""), "the file holds the generator's state");
        Session t = new Session();
        t.loadWords(words());
        t.importModel(file);
        s.takeLosses();
        s.train(10);
        t.train(10);
        assertArrayEquals(s.takeLosses(), t.takeLosses(), "the same batches as the run that never stopped");
        assertEquals(null, t.resumeNote());

        Session alone = new Session();   // no word list: no trainer, yet its export keeps the state
        alone.importModel(file);
        assertEquals(file, alone.exportModel());
    }

    @Test
    void aFileClaimingTwoBillionStepsIsRefusedNamingTheFieldAndTheModelStays() {
        Session s = trained(10);
        String before = s.exportModel();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> s.importModel(before.replace("\"step\": 10,", "\"step\": 2000000000,")));
        assertTrue(e.getMessage().contains("\"step\""), e.getMessage());
        assertEquals(before, s.exportModel());
        s.train(1);   // the previous model still trains
        assertEquals(11, s.step());
    }
}
