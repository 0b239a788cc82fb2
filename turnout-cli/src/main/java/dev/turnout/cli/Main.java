package dev.turnout.cli;

import dev.turnout.model.manifest.ManifestException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code turnout} command; maps errors to exit codes in this one place. */
@Command(name = "turnout", mixinStandardHelpOptions = true, version = "turnout 0.1.0",
        description = "Kubernetes Service networking that moves real packets.",
        subcommands = {DemoCommand.class, RulesCommand.class, ProxyCommand.class, DnsCommand.class, NetexecCommand.class,
                BenchCommand.class})
public final class Main {
    /** Exit code for errors in the user's input: flags, manifests. */
    static final int EXIT_USAGE = 2;
    /** Exit code when a step failed or could not be verified. */
    static final int EXIT_FAILURE = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof UsageException) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (e instanceof ManifestException m) {
            err.println("error: the manifests are not valid Kubernetes objects:");
            m.problems().forEach(p -> err.println("  " + p));
            return EXIT_USAGE;
        }
        if (e instanceof java.nio.file.NoSuchFileException nf) {
            err.println("error: " + nf.getFile() + ": no such file or directory");
            return EXIT_USAGE;
        }
        if (e instanceof IOException) {
            err.println("error: " + e);
            return EXIT_FAILURE;
        }
        err.println("error: " + e);
        e.printStackTrace(err);
        return EXIT_FAILURE;
    }
}
