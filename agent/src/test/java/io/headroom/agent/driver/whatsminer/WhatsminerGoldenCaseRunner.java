package io.headroom.agent.driver.whatsminer;

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
 * Golden cases of the whatsminer driver: one reply per read of the profile's API, {@code <read>.json}
 * ({@code summary.json} … for v2, {@code get_miner_status_summary.json} … for v3; a v3 file is the JSON of
 * one frame without its length prefix), parsed and interpreted exactly as a poll does.
 */
public final class WhatsminerGoldenCaseRunner implements GoldenCaseRunner {

    @Override
    public String driver() {
        return WhatsminerDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        WhatsminerProfile whatsminer = (WhatsminerProfile) compiled;
        Map<String, String> raw = new LinkedHashMap<>();
        for (WhatsminerRead read : WhatsminerRead.poll(whatsminer.api())) {
            Path file = caseDir.resolve(read.key() + ".json");
            if (Files.exists(file)) {
                raw.put(read.key(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return WhatsminerDriver.interpretRaw(Instant.EPOCH, whatsminer, raw);
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        WhatsminerProfile whatsminer = (WhatsminerProfile) compiled;
        for (WhatsminerMatch rule : whatsminer.match()) {
            Path file = caseDir.resolve(rule.read() + ".json");
            if (!Files.exists(file)) {
                continue;
            }
            try {
                JsonNode reply = WhatsminerDriver.parse(
                        whatsminer.api(), rule.read(), Files.readString(file, StandardCharsets.UTF_8));
                if (rule.matches(reply)) {
                    return true;
                }
            } catch (WhatsminerException e) {
                // A reply that does not parse identifies nothing.
            }
        }
        return false;
    }
}
