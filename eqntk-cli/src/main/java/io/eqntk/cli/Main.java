package io.eqntk.cli;

import io.eqntk.EqntkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The eqntk command line: a thin layer over the library. */
@Command(name = "eqntk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {
        "Exact infinite-width kernels (NNGP and NTK) of convolutional and group-convolutional networks,",
        "their finite-width Monte-Carlo checks, and kernel predictors.",
        "",
        "Architectures are strings of layers separated by spaces, e.g.",
        "  'conv(3, VALID, w=1.5, b=0.1) relu conv(3, VALID) relu gap dense'",
        "  'lift(D4, 3, SAME) relu gconv(3, SAME) relu gpool dense(b=0.1) relu dense'",
        "Layers: conv(q, PAD) lift(GROUP, q, PAD) gconv(q, PAD) dense relu erf avgpool(k) gap gpool flatten;",
        "PAD is SAME (default), VALID or CIRCULAR; GROUP is C1, C2, C4 (p4), D1, D2, D4 (p4m);",
        "w= sets W_std (default 1), b= sets b_std (no bias when absent); [layers]*N repeats.",
        ""},
    subcommands = {KernelCommand.class, EmpiricalCommand.class, ExperimentCommand.class, FitCommand.class,
        PredictCommand.class, DynamicsCommand.class,
        BenchCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:internal error (a bug: please report it)", "2:invalid input or arguments"})
public final class Main implements Runnable {
    /** Exit code for anything the user can fix: a bad file, argument or architecture. */
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("eqntk: error: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName()
                + " --help')");
            return USAGE_ERROR;
        });
        return cl;
    }

    /** The version from the jar manifest (or "dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"eqntk " + (v == null ? "dev" : v)};
        }
    }
}
