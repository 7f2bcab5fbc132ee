package io.headroom.cli;

import static org.junit.jupiter.api.Assertions.fail;

import io.headroom.testkit.TestPeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as the browser peer of the web page tests: loads a page, lets its
 * scripts run for a stretch of virtual time (fetches and timers included) and returns the DOM as
 * the page left it.
 *
 * <p>A missing browser skips the test, unless {@code -Dheadroom.peers=required} (as in CI), where it
 * fails. {@code HEADROOM_CHROMIUM} names another binary.
 */
final class HeadlessChromium {
    private final Path binary;
    private final Path profiles;

    private HeadlessChromium(Path binary, Path profiles) {
        this.binary = binary;
        this.profiles = profiles;
    }

    /** The browser, or skips/fails the calling test when there is none. */
    static HeadlessChromium require(Path workDir) {
        String override = System.getenv("HEADROOM_CHROMIUM");
        Path binary = override != null
                ? TestPeers.require(override, "chromium", Path.of(override)) // that one, or none
                : TestPeers.require("chromium", "chromium", Path.of("/usr/bin/chromium"));
        return new HeadlessChromium(binary, workDir);
    }

    /** Opens {@code url} in a fresh browser that a test drives: types, clicks, reads the DOM. */
    BrowserPage open(String url) throws IOException, InterruptedException {
        return BrowserPage.open(binary, profiles, url);
    }

    /**
     * Loads {@code url}, runs it for {@code virtualTime} of page time, and returns the serialised
     * DOM. Each call uses a fresh profile, so nothing is cached between loads.
     */
    String dumpDom(String url, Duration virtualTime) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "chromium-");
        Path stderr = profile.resolve("stderr.log");
        Path dom = profile.resolve("dom.html");
        // As root in a container Chromium needs --no-sandbox; the closed network needs the
        // background services off, or it keeps trying to reach Google's hosts.
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-extensions",
                        "--user-data-dir=" + profile,
                        "--virtual-time-budget=" + virtualTime.toMillis(),
                        "--dump-dom",
                        url)
                .redirectOutput(dom.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("Chromium did not exit within 60 s loading " + url);
            }
        } finally {
            process.destroyForcibly();
        }
        if (process.exitValue() != 0) {
            fail("Chromium exited with " + process.exitValue() + " loading " + url + ": "
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return Files.readString(dom, StandardCharsets.UTF_8);
    }
}
