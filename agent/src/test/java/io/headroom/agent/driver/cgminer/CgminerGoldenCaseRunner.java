package io.headroom.agent.driver.cgminer;

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
 * Golden cases of the cgminer driver: one captured reply per read command of the profile,
 * {@code <command>.json}, parsed and interpreted exactly as a poll does.
 */
public final class CgminerGoldenCaseRunner implements GoldenCaseRunner {

    @Override
    public String driver() {
        return CgminerDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        CgminerProfile cgminer = (CgminerProfile) compiled;
        Map<String, String> raw = new LinkedHashMap<>();
        for (String command : cgminer.points().reads()) {
            raw.put(command, Files.readString(caseDir.resolve(command + ".json"), StandardCharsets.UTF_8));
        }
        return CgminerDriver.interpretRaw(Instant.EPOCH, cgminer, raw);
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        for (CgminerMatch rule : ((CgminerProfile) compiled).match()) {
            Path file = caseDir.resolve(rule.command() + ".json");
            if (!Files.exists(file)) {
                continue;
            }
            try {
                JsonNode reply = CgminerReply.parse(rule.command(), Files.readString(file, StandardCharsets.UTF_8))
                        .root();
                if (CgminerReadings.identifies(rule, reply)) {
                    return true;
                }
            } catch (CgminerException e) {
                // A reply that does not parse identifies nothing.
            }
        }
        return false;
    }
}
