package io.eqntk.cli;

import io.eqntk.store.KernelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "store", mixinStandardHelpOptions = true,
    description = {
        "Checks the kernel store (verify) or removes what it can never use (clean).",
        "",
        "verify reads every block of every entry and checks it against its entry's key, its place and block",
        "size, and its checksum; it changes nothing. clean deletes damaged blocks, files that are no block of",
        "their entry, temporary files older than an hour, and entries whose manifest is unusable; the next run",
        "recomputes whatever it then lacks.",
        ""},
    footer = {"", "Examples:", "  eqntk store verify", "  eqntk store clean --store /data/eqntk-store"})
public final class StoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "verify|clean", description = "what to do")
    String action;

    @Option(names = "--store", paramLabel = "DIR",
        description = "the store (default: $EQNTK_STORE or ~/.cache/eqntk/store)")
    Path store;

    @Override
    public Integer call() {
        boolean clean;
        switch (action) {
            case "verify" -> clean = false;
            case "clean" -> clean = true;
            default -> throw new io.eqntk.EqntkException("store: unknown action '" + action + "' (verify or clean)");
        }
        List<String> lines = KernelStore.open(store == null ? KernelStore.defaultRoot() : store).verify(clean);
        lines.forEach(System.out::println);
        if (!clean && lines.size() > 1) {
            System.err.println("eqntk: error: " + (lines.size() - 1) + " problem(s) in the store: 'eqntk store clean'"
                + " removes them (a rerun then recomputes what is missing)");
            return Main.USAGE_ERROR;
        }
        return 0;
    }
}
