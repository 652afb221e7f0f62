package teagrad.web;

/**
 * The bench worker: the product's worker plus bench/'s messages ({@link BenchDispatcher}),
 * compiled into files of its own (bench-worker.wasm, bench-worker.js) that the page loads only
 * when opened with {@code ?bench}; the product's worker never contains that code.
 */
public final class BenchWorkerMain {
    private BenchWorkerMain() {}

    public static void main(String[] args) {
        WorkerMain.boot(BenchDispatcher::new);
    }
}
