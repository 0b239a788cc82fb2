package dev.turnout.lab;

import java.util.List;

/** A program that builds a lab, starts a process in a pod, says "up" and then waits to be terminated. */
public final class ShutdownHookProbe {

    private ShutdownHookProbe() {
    }

    public static void main(String[] args) throws Exception {
        LabNetwork lab = LabNetwork.up(LabSpec.singleNode().withPrefix(args[0]));
        Pod pod = lab.addPod("victim");
        long pid = lab.startInPod(pod, List.of("sleep", "60")).pid();
        System.out.println("up " + pid);
        System.out.flush();
        Thread.sleep(60_000);
    }
}
