package io.headroom.cli;

import io.headroom.agent.driver.Reading;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Verbs;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code headroom agent probe} shows an identified device, whichever way it was found (one protocol
 * named, or fingerprinting): the summary (profile, model, firmware, status, capabilities, first reading)
 * or its agent.yaml entry.
 */
final class ProbeOutput {

    private ProbeOutput() {}

    static void printSummary(PrintWriter out, String where, DeviceProbe.Identified identified) {
        FirmwareProfile matched = identified.profile();
        out.println(where + " is " + matched.id() + ": " + matched.description());
        out.println("  kind       " + matched.kind());
        if (identified.poll().identity() != null) {
            out.println("  model      " + identified.poll().identity().model());
            out.println("  firmware   " + identified.poll().identity().firmware());
        }
        String health = identified.poll().health().name().replace("DEVICE_HEALTH_", "");
        out.println("  status     " + health
                + (identified.poll().reason().isEmpty()
                        ? ""
                        : " (" + identified.poll().reason() + ": "
                                + identified.poll().message() + ")"));
        Map<io.headroom.protocol.wire.Verb, Capability> capabilities = matched.checkedCapabilities();
        out.println("Capabilities:" + (capabilities.isEmpty() ? " none (read only)" : ""));
        capabilities.forEach(
                (verb, capability) -> out.println("  " + pad(Verbs.name(verb), 14) + describe(capability)));
        List<Reading> readings = identified.poll().readings();
        out.println("First reading (" + readings.size() + " values):");
        for (Reading reading : readings) {
            String unit = MetricDictionary.find(reading.metric()) == null
                    ? ""
                    : MetricDictionary.find(reading.metric()).unit();
            out.println("  " + pad(MetricDictionary.displayKey(reading.metric(), reading.instance()), 24)
                    + format(reading.value()) + (unit.isEmpty() ? "" : " " + unit));
        }
    }

    private static String describe(Capability capability) {
        StringBuilder text = new StringBuilder();
        List<String> instances = capability.instances();
        if (!instances.isEmpty()) {
            text.append(
                    instances.size() == 1
                            ? "instance " + instances.get(0)
                            : instances.size() + " instances " + instances.get(0) + "…"
                                    + instances.get(instances.size() - 1));
            text.append(", ");
        }
        capability
                .unit()
                .ifPresent(unit -> text.append("value in ").append(unit).append(", "));
        text.append("settles in ").append(capability.settle().toSeconds()).append(" s");
        capability
                .readBack()
                .ifPresent(readBack -> text.append(", read back from ").append(readBack.metric()));
        if (capability.dangerous()) {
            text.append(", DANGEROUS (cuts power or restarts)");
        }
        return text.toString();
    }

    /**
     * Prints a device's agent.yaml entry.
     *
     * @param yamlBlock the driver block's lines; {@code SECRET.} becomes {@code /etc/headroom/<id>.}
     * @param credentials whether the device needs the common {@code credentials} (its password file)
     */
    static void printYaml(
            PrintWriter out,
            FirmwareProfile matched,
            String host,
            String id,
            String driver,
            String yamlBlock,
            boolean credentials) {
        String deviceId = id != null
                ? id
                : matched.kind() + "-" + host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        out.println("# " + matched.description() + " — from headroom agent probe " + host);
        if (credentials || yamlBlock.contains("SECRET.")) {
            out.println(
                    "# Each {file: …} below must hold that secret on its first line (mode 0600); move them where you"
                            + " keep secrets.");
        }
        out.println("  - id: " + deviceId);
        out.println("    profile: " + matched.id());
        if (credentials) {
            out.println("    credentials: {file: /etc/headroom/" + deviceId + ".password}");
        }
        out.println("    " + driver + ":");
        for (String line : yamlBlock.split("\n")) {
            out.println("      " + line.replace("SECRET.", "/etc/headroom/" + deviceId + "."));
        }
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.3f", value);
    }
}
