package io.headroom.agent.driver.nvsmi;

import io.headroom.agent.driver.GoldenCaseRunner;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Golden cases of the nvidia-smi driver: {@code nvidia-smi-q-x.xml}, one output of
 * {@code nvidia-smi -q -x}, parsed and interpreted exactly as a poll does.
 */
public final class NvsmiGoldenCaseRunner implements GoldenCaseRunner {

    static final String OUTPUT = "nvidia-smi-q-x.xml";

    @Override
    public String driver() {
        return NvsmiDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        try {
            NvsmiLog log = NvsmiXml.parse(Files.readAllBytes(caseDir.resolve(OUTPUT)));
            return NvsmiReadings.interpret(Instant.EPOCH, (NvsmiProfile) compiled, log)
                    .result();
        } catch (NvsmiException e) {
            return PollResult.offline(Instant.EPOCH, e.reason(), e.getMessage());
        }
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        Path output = caseDir.resolve(OUTPUT);
        if (!Files.exists(output)) {
            return false;
        }
        try {
            return ((NvsmiProfile) compiled).identifies(NvsmiXml.parse(Files.readAllBytes(output)));
        } catch (NvsmiException e) {
            return false;
        }
    }
}
