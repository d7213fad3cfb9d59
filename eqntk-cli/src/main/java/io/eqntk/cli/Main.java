package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.group.PointGroup;
import io.eqntk.arch.NamedArchitectures;
import io.eqntk.layer.LayerRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The eqntk command line: a thin layer over the library. */
@Command(name = "eqntk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    subcommands = {KernelCommand.class, EmpiricalCommand.class, ConvergenceCommand.class, ExperimentCommand.class,
        FitCommand.class, PredictCommand.class, DynamicsCommand.class, BenchCommand.class, StoreCommand.class,
        SphereExperimentCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:internal error (a bug: please report it)", "2:invalid input or arguments"})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** Exit code for anything the user can fix: a bad file, argument or architecture. */
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code eqntk} without a command: the overview on standard error, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().println("eqntk: error: no command given (see 'eqntk --help')");
        return USAGE_ERROR;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getCommandSpec().usageMessage().description(description());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(110);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof EqntkException) {
                commandLine.getErr().println("eqntk: error: " + ex.getMessage());
                return USAGE_ERROR;
            }
            commandLine.getErr().println("eqntk: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        cl.setExecutionStrategy(Main::checkThenRun);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && c == cl && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
                c.getErr().println("eqntk: error: unknown command '" + u.getUnmatched().get(0) + "' (commands: "
                    + String.join(", ", c.getSubcommands().keySet()) + "; see 'eqntk --help')");
                return USAGE_ERROR;
            }
            c.getErr().println("eqntk: error: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName()
                + " --help')");
            return USAGE_ERROR;
        });
        return cl;
    }

    /** The overview, with the layer and group names from their registries. */
    private static String[] description() {
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(
            "Exact infinite-width kernels (NNGP and NTK) of convolutional and group-convolutional networks,",
            "their finite-width Monte-Carlo checks, and kernel predictors.",
            "",
            "Architectures are strings of layers separated by spaces, e.g.",
            "  'conv(3, VALID, w=1.5, b=0.1) relu conv(3, VALID) relu gap dense'",
            "  'lift(D4, 3, SAME) relu gconv(3, SAME) relu gpool dense(b=0.1) relu dense'",
            "Layers:"));
        for (LayerRegistry.Entry e : LayerRegistry.entries()) {
            String last = lines.get(lines.size() - 1);
            if (last.length() + e.syntax().length() + 2 > 100) {
                lines.add("  " + e.syntax());
            } else {
                lines.set(lines.size() - 1, last + "  " + e.syntax());
            }
        }
        lines.add("PAD is SAME (default), VALID or CIRCULAR; GROUP is " + PointGroup.names() + ";");
        lines.add("w= sets W_std (default 1), b= sets b_std (no bias when absent); [layers]*N repeats.");
        lines.add("Named networks, usable wherever an architecture is:");
        lines.add("  " + NamedArchitectures.syntaxLine());
        lines.add("");
        return lines.toArray(new String[0]);
    }


    /**
     * Runs the command after the checks of its {@link CommonOptions.Checked} mixins (an output that cannot be
     * written, a size above its limit), so they fail before any work; help and version requests skip them.
     */
    private static int checkThenRun(CommandLine.ParseResult parsed) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        for (CommandLine.Model.CommandSpec mixin : last.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof CommonOptions.Checked c) {
                try {
                    c.check();
                } catch (EqntkException e) {
                    throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), e.getMessage(), e);
                }
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** The version from the build ({@link io.eqntk.Version}), and the form kernel store keys record. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"eqntk " + io.eqntk.Version.eqntk() + " (kernel store keys record "
                + io.eqntk.store.KernelKey.eqntkVersion() + ")"};
        }
    }
}
