package io.headroom.agent.driver;

import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs one golden case of a driver kind: the captured device replies of a case folder through the
 * driver's real parsing and mapping code, without a socket. One implementation per driver, listed in
 * {@code META-INF/services/io.headroom.agent.driver.GoldenCaseRunner} of the agent's tests, so that
 * {@link GoldenCasesTest} walks every case of every driver without knowing any of them.
 *
 * <p>What a case folder holds is the driver's business (one JSON reply per read command, an SNMP walk
 * file, a Modbus register image, an HTTP body …); every case also has {@code expected-readings.json}.
 */
public interface GoldenCaseRunner {

    /** The driver name of the profiles whose cases this runner runs. */
    String driver();

    /**
     * The poll result the driver makes of the case's captures.
     *
     * @param compiled the profile as this driver compiled it
     */
    PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException;

    /**
     * Whether the profile's match rules recognise the device captured in the case; a driver whose
     * case lacks what a rule reads answers false.
     */
    boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException;
}
