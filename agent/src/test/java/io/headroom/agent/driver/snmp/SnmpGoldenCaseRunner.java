package io.headroom.agent.driver.snmp;

import io.headroom.agent.driver.GoldenCaseRunner;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.NavigableMap;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * Golden cases of the snmp driver: the case's {@code walk.snmprec} answers the driver's real poll (its
 * GETs and column walks, through {@link SnmpPoll}) without a socket.
 */
public final class SnmpGoldenCaseRunner implements GoldenCaseRunner {

    static final String WALK = "walk.snmprec";

    @Override
    public String driver() {
        return SnmpDriverFactory.NAME;
    }

    @Override
    public PollResult run(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        SnmprecAccess access = new SnmprecAccess(Snmprec.read(caseDir.resolve(WALK)));
        try {
            return SnmpPoll.run(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), (SnmpProfile) compiled, access, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public boolean identifies(FirmwareProfile profile, Object compiled, Path caseDir) throws IOException {
        NavigableMap<OID, Variable> walk = Snmprec.read(caseDir.resolve(WALK));
        Variable objectId = walk.get(SnmpOids.SYS_OBJECT_ID);
        return ((SnmpProfile) compiled)
                .identifies(objectId instanceof OID oid ? oid : null, SnmpPoll.text(walk.get(SnmpOids.SYS_DESCR)));
    }
}
