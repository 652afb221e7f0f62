package teagrad.experiments;

import java.util.List;
import teagrad.data.Dataset;
import teagrad.diagnostics.Diagnostics;
import teagrad.inference.Inference;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;

/**
 * One run trained to its last step and summarised as a row of the lecture's loss log: the first
 * batch loss, the train/val/test losses in eval mode, the speed, and with diagnostics each tanh
 * layer's saturation at the init and at the end (the gain sweep's picture).
 *
 * @param value     the swept value that made this run, as typed ("5/3", "kaiming")
 * @param steps     steps taken (fewer than the config's when the run diverged)
 * @param diverged  the divergence's message, or null
 * @param saturationAtInit, saturationAtEnd  fraction of |tanh| above {@link Diagnostics#SATURATED} per tanh layer,
 *        on a probe batch before the first step and on the last step's batch; null without diagnostics
 * @param model     the trained model
 */
public record RunSummary(String value, Config config, int steps, float firstLoss, float lastLoss, double train, double val, double test,
                         double stepsPerSecond, double seconds, String diverged, double[] saturationAtInit, double[] saturationAtEnd,
                         Model model) {

    /**
     * Trains {@code c} on {@code words} alone, as {@code train} does (its own split, init and
     * minibatches from the seed): the words are only read, so runs may share them across threads.
     */
    public static RunSummary train(String value, Config c, List<String> words, boolean diagnostics, boolean calibrate) {
        Dataset data = new Dataset(words, c.blockSize, c.seed);
        Model model = Model.init(c, data.vocab);
        Trainer trainer = new Trainer(model, data);
        double[] atInit = null;
        if (diagnostics) {
            trainer.probe();   // its own batch stream: the run's batches are untouched
            atInit = saturation(trainer);
        }
        float first = Float.NaN, last = Float.NaN;
        String diverged = null;
        long start = System.nanoTime();
        while (!trainer.finished()) {
            try {
                last = trainer.trainStep();
            } catch (Trainer.Diverged e) {
                diverged = e.getMessage();
                break;
            }
            if (trainer.stepsDone() == 1) first = last;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int steps = trainer.stepsDone();
        double[] atEnd = diagnostics ? steps > 0 ? saturation(trainer) : atInit : null;
        if (calibrate) Inference.calibrate(model, data.train);
        Inference eval = new Inference(model);
        return new RunSummary(value, c, steps, first, last, eval.loss(data.train), eval.loss(data.val), eval.loss(data.test),
            steps / Math.max(seconds, 1e-9), seconds, diverged, atInit, atEnd, model);
    }

    /** Each tanh layer's saturation in the buffers of the last pass. */
    private static double[] saturation(Trainer t) {
        List<Diagnostics.TanhLayer> layers = new Diagnostics(t.model.net, t.lastPass(), t.lastLearningRate()).tanh;
        double[] s = new double[layers.size()];
        for (int i = 0; i < s.length; i++) s[i] = layers.get(i).saturated;
        return s;
    }
}
