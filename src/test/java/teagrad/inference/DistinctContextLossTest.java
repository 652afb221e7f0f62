package teagrad.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import teagrad.TestData;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.model.Presets;
import teagrad.train.Trainer;

/**
 * A whole-split loss runs the network once per distinct context and gives the same bits as
 * running every example: for the chapter's net, a net without batch norm, the deep one, with
 * the running statistics and with calibrated ones.
 */
class DistinctContextLossTest {
    static Model trained(String preset, Dataset data, int steps) {
        Config c = Presets.apply(preset, new Config());
        Model m = Model.init(c, data.vocab);
        Trainer t = new Trainer(m, data);
        for (int i = 0; i < steps; i++) t.trainStep();
        return m;
    }

    static void assertSameBits(Inference eval, Dataset.Split s, String what) {
        assertEquals(Double.doubleToRawLongBits(eval.lossExampleByExample(s)), Double.doubleToRawLongBits(eval.loss(s)), what);
    }

    @Test
    void everySplitOfEveryKindOfNetworkLosesTheSameBits() {
        Dataset data = new Dataset(TestData.names(), 3, 42);
        for (String preset : new String[] {"batchnorm", "kaiming", "deep-batchnorm"}) {
            Model m = trained(preset, data, 300);
            Inference running = new Inference(m);
            assertSameBits(running, data.train, preset + " train");
            assertSameBits(running, data.val, preset + " dev");
            assertSameBits(running, data.test, preset + " test");
            if (m.batchNorms().isEmpty()) continue;
            assertSameBits(new Inference(m, Inference.calibrated(m, data.train)), data.val, preset + " dev, calibrated");
        }
    }

    @Test
    void aTargetOutsideTheVocabularyIsStillRefused() {
        Dataset data = new Dataset(TestData.names(), 3, 42);
        Model m = trained("batchnorm", data, 1);
        int[] y = data.val.y.clone();
        y[7] = 99;
        Dataset.Split bad = new Dataset.Split(data.val.x, y, 3);
        String message = assertThrows(IllegalArgumentException.class, () -> new Inference(m).loss(bad)).getMessage();
        assertEquals("cross-entropy: target 99 outside [0, 27)", message);
    }
}
