package dev.turnout.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code turnout} command. */
@Command(name = "turnout", mixinStandardHelpOptions = true, version = "turnout 0.1.0",
        description = "Kubernetes Service networking that moves real packets.")
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
