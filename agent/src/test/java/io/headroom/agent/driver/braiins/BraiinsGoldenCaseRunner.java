package io.headroom.agent.driver.braiins;

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
 * Golden cases of the braiins driver: one body per endpoint of a poll, named as the asic-rs captures are (the
 * endpoint with {@code _} for {@code /} and {@code -}: {@code miner_stats.json}, {@code performance_tuner_state.json},
 * {@code pools.json} …); an endpoint without a file was not captured and is not fed. The bodies are parsed and
 * interpreted exactly as a poll does, at the epoch (so no logged miner error is recent).
 */
public final class BraiinsGoldenCaseRunner implements GoldenCaseRunner {

    @Override
    public String driver() {
        return BraiinsDriverFactory.NAME;
    }

    /** The capture file of an endpoint: {@code performance/tuner-state} → {@code performance_tuner_state.json}. */
    static String file(String endpoint) {
        String name = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return name.replace('/', '_').replace('-', '_') + ".json";
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String endpoint : BraiinsDriver.POLL_READS) {
            Path file = caseDir.resolve(file(endpoint));
            if (Files.exists(file)) {
                raw.put(endpoint, Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return BraiinsDriver.interpretRaw(Instant.EPOCH, (BraiinsProfile) compiled, raw);
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        for (BraiinsMatch rule : ((BraiinsProfile) compiled).match()) {
            Path file = caseDir.resolve(file(rule.endpoint()));
            if (!Files.exists(file)) {
                continue;
            }
            try {
                JsonNode reply = BraiinsClient.parse(rule.endpoint(), Files.readAllBytes(file));
                if (rule.matches(reply)) {
                    return true;
                }
            } catch (BraiinsException e) {
                // A body that does not parse identifies nothing.
            }
        }
        return false;
    }
}
