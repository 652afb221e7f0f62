package teagrad.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar target/teagrad.jar <command> [flags]}: train, evaluate and sample the
 * chapter's network on the JVM, or serve the browser app. Exit codes: 0 ok, 1 a run failed
 * (e.g. diverged), 2 bad usage or bad input.
 */
public final class Main {
    private Main() {}

    static final String USAGE = String.join("\n",
        "teagrad: makemore part 3 (Batch Norm), on the JVM and in the browser",
        "",
        "usage: java -jar target/teagrad.jar <command> [flags]",
        "",
        "commands:",
        "  train    train the batch-norm MLP on a word list and report train/dev/test loss (--sweep: several runs side by side)",
        "  lr-find  the learning-rate finder: loss against an exponentially rising lr, and a suggested lr",
        "  eval     loss of a saved model on a word list",
        "  check    gradients by hand against autograd, a row per tensor (makemore part 4)",
        "  sample   names drawn from a saved model",
        "  serve    serve the live chapter on http://127.0.0.1:8080",
        "  bench    training speed on the JVM against a naive baseline",
        "  help     this text; 'help <command>' for a command's flags",
        "");

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) ServeHeap.keepSmall();
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            return help(command, out, err);
        }
        switch (command) {
            case "train": return TrainCommand.run(rest, out, err);
            case "lr-find": return LrFindCommand.run(rest, out, err);
            case "eval": return EvalCommand.run(rest, out, err);
            case "check": return CheckCommand.run(rest, out, err);
            case "sample": return SampleCommand.run(rest, out, err);
            case "serve": return ServeCommand.run(rest, out, err);
            case "bench": return BenchCommand.run(rest, out, err);
            case "help": case "--help": case "-h":
                return rest.length == 0 ? print(USAGE, out) : help(rest[0], out, err);
            default:
                err.println("error: unknown command '" + command + "' (train, lr-find, eval, check, sample, serve, bench, help)");
                return 2;
        }
    }

    private static int help(String command, PrintStream out, PrintStream err) {
        switch (command) {
            case "train": return print(TrainCommand.HELP, out);
            case "lr-find": return print(LrFindCommand.HELP, out);
            case "eval": return print(EvalCommand.HELP, out);
            case "check": return print(CheckCommand.HELP, out);
            case "sample": return print(SampleCommand.HELP, out);
            case "serve": return print(ServeCommand.HELP, out);
            case "bench": return print(BenchCommand.HELP, out);
            default:
                err.println("error: unknown command '" + command + "' (train, lr-find, eval, check, sample, serve, bench)");
                return 2;
        }
    }

    private static int print(String text, PrintStream out) {
        out.print(text);
        return 0;
    }
}
