package io.headroom.agent.driver.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.GoldenCaseRunner;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Golden cases of the vnish driver: one body per endpoint of a poll, the endpoint with {@code _} for {@code /} and
 * {@code -} ({@code summary.json}, {@code perf_summary.json}, {@code info.json}); an endpoint without a file was not
 * captured and is not fed. The bodies are parsed and interpreted exactly as a poll does.
 */
public final class VnishGoldenCaseRunner implements GoldenCaseRunner {

    @Override
    public String driver() {
        return VnishDriverFactory.NAME;
    }

    /** The capture file of an endpoint: {@code perf-summary} → {@code perf_summary.json}. */
    static String file(String endpoint) {
        String name = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return name.replace('/', '_').replace('-', '_') + ".json";
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String endpoint : VnishDriver.POLL_READS) {
            Path file = caseDir.resolve(file(endpoint));
            if (Files.exists(file)) {
                raw.put(endpoint, Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return VnishDriver.interpretRaw(Instant.EPOCH, (VnishProfile) compiled, raw);
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        for (VnishMatch rule : ((VnishProfile) compiled).match()) {
            Path file = caseDir.resolve(file(rule.endpoint()));
            if (!Files.exists(file)) {
                continue;
            }
            try {
                JsonNode reply = VnishClient.parse(rule.endpoint(), Files.readAllBytes(file));
                if (rule.matches(reply)) {
                    return true;
                }
            } catch (VnishException e) {
                // A body that does not parse identifies nothing.
            }
        }
        return false;
    }
}
