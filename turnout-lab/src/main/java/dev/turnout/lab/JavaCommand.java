package dev.turnout.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argv that runs a main class with this JVM's java binary and classpath, tuned to start fast and stay
 * small: labs start many short-lived JVMs (workloads, traffic clients) and test time is dominated by startup.
 */
public final class JavaCommand {

    private JavaCommand() {
    }

    public static List<String> forMain(Class<?> mainClass, List<String> args) {
        List<String> argv = new ArrayList<>(List.of(javaBinary(),
                "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        argv.addAll(args);
        return argv;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
