package io.headroom.cli;

import io.headroom.testkit.TestPeers;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Debian's Chromium, headless, as the browser peer of the web page tests: opens a page in a fresh
 * profile that a test drives over the DevTools protocol ({@link BrowserPage}).
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
}
