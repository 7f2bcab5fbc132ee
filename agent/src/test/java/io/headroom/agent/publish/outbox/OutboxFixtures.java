package io.headroom.agent.publish.outbox;

import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;

/** Messages shaped like the publisher's. */
final class OutboxFixtures {
    private OutboxFixtures() {}

    /** A telemetry-only batch of {@code samples} samples (low priority). */
    static Data data(long boot, long seq, int samples) {
        Data.Builder data = Data.newBuilder().setBootId(boot).setSeq(seq).setTimestampMs(1_764_590_400_000L + seq);
        for (int i = 0; i < samples; i++) {
            data.addAlias(i + 1).addValue(3000.0 + (seq * 31 + i) % 977 / 10.0).addOffsetMs(-(i % 1000));
        }
        return data.build();
    }

    static Data data(long boot, long seq) {
        return data(boot, seq, 3);
    }

    /** A batch with a device status (high priority). */
    static Data status(long boot, long seq) {
        return Data.newBuilder()
                .setBootId(boot)
                .setSeq(seq)
                .addStatus(DeviceStatus.newBuilder()
                        .setDeviceId("miner-001")
                        .setHealth(DeviceHealth.DEVICE_HEALTH_OFFLINE)
                        .setReason("timeout"))
                .build();
    }

    static Result result(long boot, long seq) {
        return Result.newBuilder()
                .setBootId(boot)
                .setSeq(seq)
                .setCommandId("cmd-" + seq)
                .setDeviceId("miner-001")
                .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                .build();
    }
}
