package io.headroom.cli;

import io.headroom.agent.driver.DeviceIdentity;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@code headroom agent probe <host>} prints after fingerprinting ({@link HostFingerprint}): the
 * chosen device (the first sighting in preference order that was read or recognised) in the probe's
 * usual summary or agent.yaml form, then one "also answers" line per other protocol that answered and
 * the protocols that did not. Decides the exit code (decisions.md D47).
 */
final class FingerprintReport {
    private static final String PREFIX = "headroom agent probe: ";

    private FingerprintReport() {}

    /**
     * Prints the outcome.
     *
     * @return 0 read, {@link AgentProbeCommand#EXIT_CREDENTIALS} recognised but needing (other)
     *     credentials, {@link AgentProbeCommand#EXIT_NO_MATCH} answers that no profile matches,
     *     {@link AgentProbeCommand#EXIT_NO_ANSWER} nothing usable anywhere
     */
    static int print(PrintWriter out, PrintWriter err, String host, String id, boolean yaml, List<Sighting> sightings) {
        Optional<Sighting> chosen = sightings.stream()
                .filter(s -> s instanceof Sighting.Read || s instanceof Sighting.Recognised)
                .findFirst();
        if (chosen.isPresent() && chosen.get() instanceof Sighting.Read read) {
            if (yaml) {
                for (Sighting other : others(sightings, read)) {
                    out.println("# " + line(host, other, true));
                }
                ProbeOutput.printYaml(
                        out,
                        read.identified().profile(),
                        host,
                        id,
                        read.entry().driver(),
                        read.entry().yamlBlock(),
                        read.entry().credentials());
            } else {
                ProbeOutput.printSummary(out, where(host, read), read.identified());
                for (Sighting other : others(sightings, read)) {
                    out.println(line(host, other, true));
                }
            }
            return 0;
        }
        if (chosen.isPresent()) {
            Sighting.Recognised recognised = (Sighting.Recognised) chosen.get();
            String what =
                    where(host, recognised) + " answers as " + recognised.family() + " (" + recognised.evidence() + ")";
            if (recognised.reason().equals(Sighting.Recognised.NO_CREDENTIALS)) {
                err.println(PREFIX + what + "; " + recognised.message() + ".");
            } else if (recognised.reason().equals("auth-failed")) {
                err.println(PREFIX + what + ", but refused the credentials given (" + recognised.message()
                        + "); check --username and --password-file.");
            } else {
                err.println(PREFIX + what + ", but the " + recognised.driver() + " driver could not read it ("
                        + recognised.reason() + ": " + recognised.message() + ").");
            }
            for (Sighting other : others(sightings, recognised)) {
                err.println(PREFIX + line(host, other, true));
            }
            return recognised.credentialsProblem()
                    ? AgentProbeCommand.EXIT_CREDENTIALS
                    : AgentProbeCommand.EXIT_NO_ANSWER;
        }
        boolean unmatched = sightings.stream().anyMatch(Sighting.Unmatched.class::isInstance);
        err.println(PREFIX
                + (unmatched
                        ? host + " answers, but as nothing a built-in profile matches; no profile is guessed."
                                + " Add a profile for it (docs/firmware-profiles.md) or name the protocol and profile"
                                + " (--port, --modbus-unit, --profile)."
                        : "nothing usable answers at " + host + " on any protocol:"));
        for (Sighting sighting : sightings) {
            err.println(PREFIX + "  " + line(host, sighting, false));
        }
        return unmatched ? AgentProbeCommand.EXIT_NO_MATCH : AgentProbeCommand.EXIT_NO_ANSWER;
    }

    /** The sightings but the chosen one: those that answered first (in preference order), then the silent. */
    private static List<Sighting> others(List<Sighting> sightings, Sighting chosen) {
        return sightings.stream()
                .filter(s -> s != chosen)
                .sorted(Comparator.comparing(Sighting.Silent.class::isInstance))
                .toList();
    }

    /** One protocol's answer in one line; {@code also}: beside the chosen device. */
    private static String line(String host, Sighting sighting, boolean also) {
        String where = sighting.protocol() + " " + where(host, sighting);
        String lead = sighting instanceof Sighting.Silent ? "no answer: " : also ? "also answers: " : "answers: ";
        if (sighting instanceof Sighting.Read read) {
            DeviceIdentity identity = read.identified().poll().identity();
            return lead + where + " as " + read.identified().profile().id()
                    + (identity == null ? "" : " (" + identity.model() + ", " + identity.firmware() + ")");
        }
        if (sighting instanceof Sighting.Recognised recognised) {
            return lead + where + " as " + recognised.family() + " (" + recognised.evidence() + "), not read ("
                    + recognised.reason() + ")";
        }
        if (sighting instanceof Sighting.Unmatched unmatched) {
            return lead + where + ": " + unmatched.message();
        }
        Sighting.Silent silent = (Sighting.Silent) sighting;
        return lead + where + " (" + silent.reason() + ": " + silent.message() + ")";
    }

    private static String where(String host, Sighting sighting) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + sighting.port();
    }
}
