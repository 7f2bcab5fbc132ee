package io.headroom.agent.driver.nvsmi;

import io.headroom.agent.driver.GoldenCasesTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;

/**
 * A fake {@code nvidia-smi}: a real shell script in a temp folder that records its arguments and
 * answers like the real one, from a fixture and a little state in files next to it.
 *
 * <ul>
 *   <li>{@code -q -x}: prints {@code fixture.xml} with {@code @LIMIT@} replaced by the current limit;
 *   <li>{@code -i N -pl W}: stores W as the limit and prints nvidia-smi's confirmation;
 *   <li>the {@code mode} file changes that: {@code hang} (writes its pid and {@code started}, then
 *       sleeps), {@code nodriver}, {@code garbage}, {@code oversize}, {@code permission} (exit 4,
 *       "Insufficient Permissions"), {@code ignored} (nvidia-smi's "not supported in current scope"
 *       warning, exit 0, limit unchanged).
 * </ul>
 */
final class FakeNvidiaSmi {

    /** The A100 capture's enforced limit, made a placeholder. */
    static final String LIMIT_ELEMENT = "<current_power_limit>500.00 W</current_power_limit>";

    final Path dir;
    final Path script;

    private FakeNvidiaSmi(Path dir) {
        this.dir = dir;
        this.script = dir.resolve("nvidia-smi");
    }

    static String a100() throws IOException {
        return Files.readString(
                GoldenCasesTest.casesRoot().resolve("nvidia/a100-sxm4-80gb/nvidia-smi-535-v12/nvidia-smi-q-x.xml"),
                StandardCharsets.UTF_8);
    }

    /** A fake printing the A100 capture, enforced limit 500 W (range 100..500 W). */
    static FakeNvidiaSmi a100(Path dir) throws IOException {
        String fixture = a100();
        if (!fixture.contains(LIMIT_ELEMENT)) {
            throw new AssertionError("the A100 case no longer has " + LIMIT_ELEMENT);
        }
        return create(dir, fixture.replace(LIMIT_ELEMENT, "<current_power_limit>@LIMIT@ W</current_power_limit>"));
    }

    static FakeNvidiaSmi create(Path dir, String fixture) throws IOException {
        FakeNvidiaSmi fake = new FakeNvidiaSmi(dir);
        Files.writeString(dir.resolve("fixture.xml"), fixture, StandardCharsets.UTF_8);
        fake.limit("500.00");
        fake.mode("normal");
        String d = dir.toAbsolutePath().toString().replace("'", "'\\''");
        String sh = "#!/bin/sh\n"
                + "d='" + d + "'\n"
                + "printf '%s\\n' \"$*\" >> \"$d/args.log\"\n"
                + "mode=$(cat \"$d/mode\")\n"
                + "case \"$1\" in\n"
                + "  -q)\n"
                + "    case \"$mode\" in\n"
                + "      hang) echo $$ > \"$d/pid\"; : > \"$d/started\"; exec sleep 120 ;;\n"
                + "      nodriver) echo 'NVIDIA-SMI has failed because it couldn'\"'\"'t communicate with the NVIDIA"
                + " driver. Make sure that the latest NVIDIA driver is installed and running.'; exit 9 ;;\n"
                + "      garbage) echo '<nvidia_smi_log><gpu><product_name>cut'; exit 0 ;;\n"
                + "      oversize) head -c 9000000 /dev/zero; exit 0 ;;\n"
                + "    esac\n"
                + "    sed \"s/@LIMIT@/$(cat \"$d/limit\")/\" \"$d/fixture.xml\"; exit 0 ;;\n"
                + "  -i)\n"
                + "    case \"$mode\" in\n"
                + "      permission) echo 'Insufficient Permissions'; echo 'Terminating early due to previous errors.';"
                + " exit 4 ;;\n"
                + "      ignored) echo 'Changing power management limit is not supported in current scope for GPU:"
                + " 00000000:01:00.0.'; echo 'Treating as warning and moving on.'; echo 'All done.'; exit 0 ;;\n"
                + "    esac\n"
                + "    printf '%s' \"$4\" > \"$d/limit\"\n"
                + "    echo \"Power limit for GPU 00000000:01:00.0 was set to $4.00 W from 500.00 W.\"; echo 'All done.';"
                + " exit 0 ;;\n"
                + "esac\n"
                + "echo \"Invalid combination of input arguments: $*\"; exit 2\n";
        Files.writeString(fake.script, sh, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(fake.script, PosixFilePermissions.fromString("rwx------"));
        return fake;
    }

    void mode(String mode) throws IOException {
        Files.writeString(dir.resolve("mode"), mode, StandardCharsets.UTF_8);
    }

    void limit(String watts) throws IOException {
        Files.writeString(dir.resolve("limit"), watts, StandardCharsets.UTF_8);
    }

    String limit() throws IOException {
        return Files.readString(dir.resolve("limit"), StandardCharsets.UTF_8);
    }

    /** Every invocation's arguments, in order. */
    List<String> calls() throws IOException {
        Path log = dir.resolve("args.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    boolean started() {
        return Files.exists(dir.resolve("started"));
    }

    /** The pid of the hanging run, once it has written it. */
    OptionalLong pid() throws IOException {
        Path pid = dir.resolve("pid");
        if (!Files.exists(pid)) {
            return OptionalLong.empty();
        }
        String text = Files.readString(pid, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    }
}
