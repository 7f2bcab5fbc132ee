package io.headroom.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** How a refused config file is shown: every problem, one per line, and the usage exit code. */
final class ConfigProblems {
    /** Exit code for a refused configuration (picocli's usage-error code). */
    static final int EXIT_CODE = 2;

    private ConfigProblems() {}

    static int report(PrintWriter err, Path config, List<?> problems) {
        err.println("headroom: " + config + " has problems:");
        problems.forEach(problem -> err.println("  " + problem));
        return EXIT_CODE;
    }
}
