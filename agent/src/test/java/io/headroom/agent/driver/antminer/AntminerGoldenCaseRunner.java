package io.headroom.agent.driver.antminer;

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
 * Golden cases of the antminer-web driver: one body per CGI of a poll, {@code <cgi>.json} ({@code stats.json},
 * {@code summary.json}, {@code get_miner_conf.json}); a CGI without a file was not captured and is not fed.
 * The bodies are parsed and interpreted exactly as a poll does.
 */
public final class AntminerGoldenCaseRunner implements GoldenCaseRunner {

    @Override
    public String driver() {
        return AntminerDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String cgi : AntminerDriver.POLL_CGIS) {
            Path file = caseDir.resolve(cgi + ".json");
            if (Files.exists(file)) {
                raw.put(cgi, Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return AntminerDriver.interpretRaw(Instant.EPOCH, (AntminerProfile) compiled, raw);
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        for (AntminerMatch rule : ((AntminerProfile) compiled).match()) {
            Path file = caseDir.resolve(rule.cgi() + ".json");
            if (!Files.exists(file)) {
                continue;
            }
            try {
                JsonNode reply = AntminerDriver.parse(rule.cgi(), Files.readString(file, StandardCharsets.UTF_8));
                if (rule.matches(reply)) {
                    return true;
                }
            } catch (AntminerException e) {
                // A body that does not parse identifies nothing.
            }
        }
        return false;
    }
}
