package dev.turnout.proxy.iptables;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden files under src/test/resources/golden: compared whole, with a line diff on mismatch.
 * Run with {@code -Dgolden.update=true} to rewrite them from the current output (then review the
 * git diff before committing).
 */
public final class Golden {
    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    static final Path SOURCE_DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    public static String read(String relative) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + relative)) {
            if (in == null) {
                return null;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares {@code actual} with the golden file, or rewrites the file in update mode. */
    public static void assertMatches(String relative, String actual) {
        if (UPDATE) {
            try {
                Path p = SOURCE_DIR.resolve(relative);
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        String expected = read(relative);
        if (expected == null) {
            fail("golden file %s is missing; run with -Dgolden.update=true to create it.%nActual:%n%s", relative, actual);
        }
        assertSameText(relative, expected, actual);
    }

    public static void assertSameText(String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            fail("%s differs (- expected, + actual):%n%s%nFull actual:%n%s", what, diff(expected, actual), actual);
        }
    }

    /** A minimal line diff (longest common subsequence), enough to read a golden mismatch. */
    public static String diff(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                out.add("  " + a[i]);
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add("+ " + b[j++]);
            } else {
                out.add("- " + a[i++]);
            }
        }
        return String.join("\n", out);
    }
}
