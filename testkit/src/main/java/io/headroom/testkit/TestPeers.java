package io.headroom.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real programs interop tests run against (Debian's mosquitto, mosquitto-clients,
 * chromium). A missing one skips the calling test on a developer's machine, unless the system
 * property {@code headroom.peers} is {@code required} (as {@code .ci/run} sets it), where it fails:
 * CI must never pass by skipping.
 */
public final class TestPeers {
    private TestPeers() {}

    /**
     * The first executable among {@code usualPlaces}, then {@code binary} on the PATH; otherwise
     * skips or fails the calling test, naming the Debian package to install.
     */
    public static Path require(String binary, String debianPackage, Path... usualPlaces) {
        List<Path> candidates = new ArrayList<>(List.of(usualPlaces));
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, binary));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message =
                binary + " not found (looked in " + (usualPlaces.length == 0 ? "" : List.of(usualPlaces) + " and ")
                        + "the PATH); install the Debian package " + debianPackage;
        if ("required".equals(System.getProperty("headroom.peers"))) {
            fail(message + " (headroom.peers=required)");
        }
        Assumptions.abort(message + "; skipping (set -Dheadroom.peers=required to fail instead)");
        throw new AssertionError("unreachable");
    }
}
