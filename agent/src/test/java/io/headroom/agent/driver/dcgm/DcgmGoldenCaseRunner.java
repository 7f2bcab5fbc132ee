package io.headroom.agent.driver.dcgm;

import io.headroom.agent.driver.GoldenCaseRunner;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Golden cases of the dcgm driver: {@code metrics.txt}, one body of {@code GET /metrics}, parsed and
 * interpreted exactly as a poll does.
 */
public final class DcgmGoldenCaseRunner implements GoldenCaseRunner {

    static final String BODY = "metrics.txt";

    @Override
    public String driver() {
        return DcgmDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        String body = Files.readString(caseDir.resolve(BODY), StandardCharsets.UTF_8);
        return DcgmReadings.interpret(Instant.EPOCH, (DcgmProfile) compiled, PromTextParser.parse(body));
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        Path body = caseDir.resolve(BODY);
        return Files.exists(body)
                && ((DcgmProfile) compiled)
                        .identifies(PromTextParser.parse(Files.readString(body, StandardCharsets.UTF_8)));
    }
}
