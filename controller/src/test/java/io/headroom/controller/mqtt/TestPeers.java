package io.headroom.controller.mqtt;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the Debian peers interop tests run against. A missing peer skips the test, unless the
 * system property {@code headroom.peers} is {@code required} (as in CI), where it fails it.
 */
final class TestPeers {
    private TestPeers() {}

    /** The path of {@code binary} on the PATH, or skips/fails the calling test. */
    static Path require(String binary, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = binary + " not found on PATH; install the Debian package " + debianPackage;
        if ("required".equals(System.getProperty("headroom.peers"))) {
            fail(message + " (headroom.peers=required)");
        }
        Assumptions.abort(message + "; skipping (set -Dheadroom.peers=required to fail instead)");
        throw new AssertionError("unreachable");
    }
}
