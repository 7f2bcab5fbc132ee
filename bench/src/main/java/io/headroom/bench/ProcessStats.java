package io.headroom.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, from Linux's {@code /proc/<pid>/stat} (utime + stime,
 * fields 14 and 15, in clock ticks of 1/100 s: {@code getconf CLK_TCK} on every Linux this runs on)
 * and {@code /proc/<pid>/status} ({@code VmRSS}, {@code VmHWM}). Read from outside the process, so a
 * server's own numbers include everything it does (GC, JIT, every thread).
 */
final class ProcessStats {
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** CPU seconds (user + system) the process has used so far. */
    static double cpuSeconds(long pid) throws IOException {
        String[] fields = statFields(pid);
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** CPU seconds the process has spent in the kernel so far (stime): its syscalls, and the softirqs it ran. */
    static double systemSeconds(long pid) throws IOException {
        return Long.parseLong(statFields(pid)[12]) / TICKS_PER_SECOND;
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name: field {@code n} is at {@code n - 3}. */
    private static String[] statFields(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** Resident set in MiB ({@code VmRSS}). */
    static double rssMb(long pid) throws IOException {
        return statusKb(pid, "VmRSS:") / 1024.0;
    }

    /** Peak resident set in MiB ({@code VmHWM}). */
    static double peakRssMb(long pid) throws IOException {
        return statusKb(pid, "VmHWM:") / 1024.0;
    }

    private static long statusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + key + " in /proc/" + pid + "/status");
    }

    /** The one-minute load average, to state how busy the machine was. */
    static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
