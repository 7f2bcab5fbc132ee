package io.headroom.controller.alert;

import io.headroom.testkit.TestPeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code promtool} (package {@code prometheus}); a missing one skips the calling test,
 * unless {@code -Dheadroom.peers=required}, where it fails.
 */
final class Promtool {

    /** The repository's {@code dist/}, from the controller module's directory that Maven runs tests in. */
    static final Path DIST = Path.of("..", "dist").toAbsolutePath().normalize();

    static final Path RULES = DIST.resolve("prometheus/headroom-rules.yml");
    static final Path RULE_TESTS = DIST.resolve("prometheus/headroom-rules.test.yml");
    static final Path DASHBOARD = DIST.resolve("grafana/headroom.json");

    /** What one promtool run did. */
    record Run(int exitCode, String output) {}

    private Promtool() {}

    static Run run(String... arguments) throws IOException, InterruptedException {
        Path promtool = TestPeers.require("promtool", "prometheus", Path.of("/usr/bin/promtool"));
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", arguments) + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
