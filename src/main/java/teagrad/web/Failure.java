package teagrad.web;

/**
 * What the page is told when handling a message, or a training slice, threw: error {during,
 * message}. {@code during} is the message's own type ("evaluate", "profile", "reset", …), or
 * "train" for a training slice, so the page can tell a failed evaluation from stopped training.
 * Pure Java, so the JVM tests it; {@link Dispatcher} posts it.
 */
final class Failure {
    final String during, message;

    private Failure(String during, String message) {
        this.during = during;
        this.message = message;
    }

    /** Anything thrown, not only exceptions: a StackOverflowError or OutOfMemoryError must reach the page too. */
    static Failure of(String during, Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) message = e.getClass().getSimpleName();   // never an empty error line
        return new Failure(during == null || during.isEmpty() ? "unknown" : during, message);
    }

    /**
     * Whether the worker's training has stopped: a slice failed ("train"), or a start failed
     * before its first slice. An evaluation or a sample that fails leaves a run going.
     */
    boolean stopsTraining() { return during.equals("train") || during.equals("start"); }
}
