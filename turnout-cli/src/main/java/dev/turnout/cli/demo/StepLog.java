package dev.turnout.cli.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the demo's steps in order, showing each as it starts and ends, and keeps the verdicts for
 * the summary. A step fails by throwing; its message becomes the verdict.
 */
public final class StepLog {
    /** One step of the demo; returns a short verdict, e.g. "300/300 answered". */
    @FunctionalInterface
    public interface Step {
        String run() throws Exception;
    }

    /** What came of one step. */
    public record Outcome(String title, boolean ok, String verdict, long millis) {
    }

    private final PrintStream out;
    private final int total;
    private final List<Outcome> outcomes = new ArrayList<>();

    public StepLog(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    /** Runs one step; returns false when it failed (the caller decides whether to go on). */
    public boolean run(String title, Step step) {
        int n = outcomes.size() + 1;
        out.printf(Locale.ROOT, "%n[%d/%d] %s …%n", n, total, title);
        out.flush();
        long start = System.nanoTime();
        boolean ok;
        String verdict;
        try {
            verdict = step.run();
            ok = true;
        } catch (Exception | AssertionError e) {
            verdict = e.getMessage() == null ? e.toString() : e.getMessage();
            ok = false;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        outcomes.add(new Outcome(title, ok, verdict, ms));
        out.printf(Locale.ROOT, "      %s %s (%.1f s)%n", ok ? "✔" : "✘", verdict, ms / 1000.0);
        out.flush();
        return ok;
    }

    /** Prints the summary and tells whether every step that ran was verified. */
    public boolean summary() {
        out.println();
        out.println("Summary");
        boolean all = outcomes.size() == total;
        for (Outcome o : outcomes) {
            out.printf(Locale.ROOT, "  %s %s%n      %s%n", o.ok() ? "✔" : "✘", o.title(), o.verdict());
            all &= o.ok();
        }
        if (outcomes.size() < total) {
            out.printf(Locale.ROOT, "  ✘ %d step(s) did not run%n", total - outcomes.size());
        }
        out.println(all ? "All steps verified." : "NOT verified: see the steps marked ✘ above.");
        return all;
    }

    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }
}
