package io.headroom.agent.driver.redfish;

import io.headroom.agent.driver.GoldenCaseRunner;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Golden cases of the redfish driver: a mockup folder ({@code redfish/v1/…/index.json}, as DMTF
 * lays its mockups out) read by the same poll code a live device is, with the profile's default
 * chassis and the service root for identity.
 */
public final class RedfishGoldenCaseRunner implements GoldenCaseRunner {

    @Override
    public String driver() {
        return RedfishDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        RedfishProfile redfish = (RedfishProfile) compiled;
        try {
            return RedfishPoll.run(
                    new MockupFolder(caseDir),
                    redfish.points(),
                    redfish.points().defaultChassis(),
                    true,
                    Instant.EPOCH);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        RedfishProfile redfish = (RedfishProfile) compiled;
        MockupFolder folder = new MockupFolder(caseDir);
        for (RedfishMatch rule : redfish.match()) {
            try {
                if (rule.holds(folder.get(
                        RedfishPaths.absolute(rule.resource(), redfish.points().defaultChassis())))) {
                    return true;
                }
            } catch (RedfishFault e) {
                // A resource the case lacks identifies nothing.
            }
        }
        return false;
    }
}
