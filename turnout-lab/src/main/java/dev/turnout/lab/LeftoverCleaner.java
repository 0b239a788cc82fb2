package dev.turnout.lab;

import dev.turnout.lab.netns.CommandRunner;
import dev.turnout.lab.netns.Netns;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what a crashed lab run left behind: processes living in its namespaces (killed by PID), the
 * namespaces, and any link in the root namespace carrying a lab name (none should exist, since links
 * are created inside lab namespaces, but a crash in an older version could have left one). Only names
 * following the lab convention ({@link LabNames}) and starting with the given prefix are touched.
 */
public final class LeftoverCleaner {

    private final Netns netns;

    public LeftoverCleaner(Netns netns) {
        this.netns = netns;
    }

    /**
     * @param prefix {@code tnt} for every lab run on the machine (only safe when no lab is running, since
     *               parallel runs share the mark), or a full run prefix such as {@code tntk3x9q}
     * @return the names removed
     */
    public List<String> clean(String prefix) {
        if (!prefix.startsWith(LabNames.MARK)) {
            throw new IllegalArgumentException("refusing to clean names outside the lab convention: " + prefix);
        }
        List<String> removed = new ArrayList<>();
        for (String ns : netns.list()) {
            if (ns.startsWith(prefix) && LabNames.isLabName(ns)) {
                for (long pid : netns.pids(ns)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                netns.delete(ns);
                removed.add(ns);
            }
        }
        CommandRunner runner = netns.runner();
        String links = runner.run(List.of("ip", "-o", "link", "show"), Netns.ADMIN_TIMEOUT).orThrow().stdout();
        for (String link : rootLinkNames(links)) {
            if (link.startsWith(prefix) && LabNames.isLabName(link)) {
                runner.run(List.of("ip", "link", "del", link), Netns.ADMIN_TIMEOUT).orThrow();
                removed.add(link);
            }
        }
        return removed;
    }

    /** Parses {@code ip -o link show}: "3: name@peer: <FLAGS> ..." per line. */
    static List<String> rootLinkNames(String ipOLinkOutput) {
        List<String> names = new ArrayList<>();
        for (String line : ipOLinkOutput.split("\n")) {
            String[] parts = line.split(":\\s*", 3);
            if (parts.length >= 2) {
                String name = parts[1].trim();
                int at = name.indexOf('@');
                names.add(at >= 0 ? name.substring(0, at) : name);
            }
        }
        return names;
    }
}
