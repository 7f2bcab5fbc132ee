package io.headroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Message;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WireCodecTest {

    static Birth birth() {
        return Birth.newBuilder()
                .setAgentId("rack-a1")
                .setBootId(0x1234_5678_9abc_def0L)
                .setSeq(7)
                .setTimestampMs(1_700_000_000_000L)
                .setSession(2)
                .setPendingFromSeq(5)
                .setAgentVersion("0.1.0")
                .addDevices(DeviceDescriptor.newBuilder()
                        .setId("miner-001")
                        .setKind(DeviceKind.DEVICE_KIND_MINER)
                        .setModel("Antminer S19 XP")
                        .setProfile("luxor/luxos")
                        .setFirmware("LUXminer 2025.4.8")
                        .setNameplatePowerW(3010)
                        .addMetrics(metric(1, "power", "", "W"))
                        .addMetrics(metric(2, "temperature.chip", "board1", "°C"))
                        .addCapabilities(powerTarget())
                        .addCapabilities(Capability.newBuilder()
                                .setVerb(Verb.VERB_SLEEP)
                                .setSettleMs(10_000)
                                .setReadBackMetric("mode")))
                .addDevices(DeviceDescriptor.newBuilder()
                        .setId("pdu-1")
                        .setKind(DeviceKind.DEVICE_KIND_PDU)
                        .setModel("AP8959")
                        .setProfile("apc/rpdu2g")
                        .addCapabilities(Capability.newBuilder()
                                .setVerb(Verb.VERB_OUTLET_OFF)
                                .addInstances("1")
                                .addInstances("2")
                                .setDangerous(true)))
                .build();
    }

    static Capability powerTarget() {
        return Capability.newBuilder()
                .setVerb(Verb.VERB_SET_POWER_TARGET)
                .setUnit("W")
                .setMin(1200)
                .setMax(3300)
                .setStep(100)
                .setSettleMs(30_000)
                .setRampMs(60_000)
                .setReadBackMetric("power.target")
                .setTolerance(50)
                .build();
    }

    /** The fixture's Birth with its first device's capabilities replaced by {@code capabilities}. */
    static Birth birthWith(Capability... capabilities) {
        DeviceDescriptor device = birth().getDevices(0).toBuilder()
                .clearCapabilities()
                .addAllCapabilities(List.of(capabilities))
                .build();
        return birth().toBuilder().setDevices(0, device).build();
    }

    static MetricDefinition metric(int alias, String name, String instance, String unit) {
        return MetricDefinition.newBuilder()
                .setAlias(alias)
                .setName(name)
                .setInstance(instance)
                .setUnit(unit)
                .setType(MetricType.METRIC_TYPE_GAUGE)
                .build();
    }

    static Data data() {
        return Data.newBuilder()
                .setBootId(1)
                .setSeq(2)
                .setTimestampMs(1_700_000_000_000L)
                .addAlias(1)
                .addAlias(2)
                .addValue(3250.0)
                .addValue(65.5)
                .addQuality(Quality.QUALITY_GOOD)
                .addQuality(Quality.QUALITY_UNCERTAIN)
                .build();
    }

    static Stream<Message> everyMessageType() {
        return Stream.of(
                birth(),
                data().toBuilder()
                        .addOffsetMs(-250)
                        .addOffsetMs(0)
                        .setHistorical(true)
                        .addStatus(DeviceStatus.newBuilder()
                                .setDeviceId("miner-001")
                                .setHealth(DeviceHealth.DEVICE_HEALTH_DEGRADED)
                                .setReason("timeout")
                                .setMessage("stats: no reply within 2000 ms"))
                        .build(),
                Death.newBuilder()
                        .setAgentId("rack-a1")
                        .setBootId(9)
                        .setSession(3)
                        .setReason("shutdown")
                        .build(),
                Command.newBuilder()
                        .setCommandId("6f1c2b1e-5d7a-4e1b-9a53-0c4e8f7d2a11")
                        .setDeviceId("miner-001")
                        .setVerb(Verb.VERB_SET_POWER_TARGET)
                        .setValue(2800)
                        .setIssuedAtMs(1_700_000_000_000L)
                        .setTtlMs(30_000)
                        .setVersion(42)
                        .build(),
                Command.newBuilder()
                        .setCommandId("c-2")
                        .setDeviceId("pdu-1")
                        .setVerb(Verb.VERB_OUTLET_CYCLE)
                        .setInstance("7")
                        .setIssuedAtMs(1_700_000_000_000L)
                        .setTtlMs(30_000)
                        .setVersion(43)
                        .build(),
                Result.newBuilder()
                        .setBootId(9)
                        .setSeq(10)
                        .setCommandId("c-1")
                        .setDeviceId("miner-001")
                        .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                        .setReadBack(0)
                        .setTimestampMs(1_700_000_000_500L)
                        .build(),
                Ack.newBuilder()
                        .setBootId(9)
                        .setSeq(10)
                        .setRebirth(true)
                        .setRebirthReason("sequence-gap")
                        .build(),
                ControllerState.newBuilder()
                        .setOnline(true)
                        .setTimestampMs(1_700_000_000_000L)
                        .setControllerId("controller")
                        .setLeaseMs(60_000)
                        .build());
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void decode_ofEncode_returnsEqualMessage(Message message) throws MalformedPayloadException {
        byte[] bytes = WireCodec.encode(message);

        assertThat(WireCodec.decode(bytes, message.getClass())).isEqualTo(message);
        assertThat(WireCodec.decode(ByteBuffer.wrap(bytes), message.getClass())).isEqualTo(message);
    }

    @Test
    void encode_data_matchesGoldenBytes() {
        byte[] golden = {
            0x08,
            0x01, // field 1 boot_id, varint: 1
            0x10,
            0x02, // field 2 seq, varint: 2
            0x18,
            (byte) 0x80,
            (byte) 0xd0,
            (byte) 0x95,
            (byte) 0xff,
            (byte) 0xbc,
            0x31, // field 3 timestamp_ms: 1700000000000
            0x2a,
            0x02,
            0x01,
            0x02, // field 5 alias, packed, 2 bytes: 1, 2
            0x32,
            0x10, // field 6 value, packed, 16 bytes:
            0,
            0,
            0,
            0,
            0,
            0x64,
            (byte) 0xa9,
            0x40, //   3250.0 (IEEE 754, little-endian)
            0,
            0,
            0,
            0,
            0,
            0x60,
            0x50,
            0x40, //   65.5
            0x42,
            0x02,
            0x00,
            0x01 // field 8 quality, packed, 2 bytes: GOOD, UNCERTAIN
        };

        assertThat(WireCodec.encode(data())).containsExactly(golden);
    }

    @Test
    void encode_allGoodBatchAtOneTime_sendsNoQualityOrOffsetColumn() {
        Data allGood = data().toBuilder().clearQuality().build();

        // 11 bytes of header + 4 of aliases + 18 of values: no bytes spent on quality or offsets.
        assertThat(WireCodec.encode(allGood)).hasSize(2 + 2 + 7 + 4 + 18);
    }

    @Test
    void decode_emptyPayload_isTypedEmptyFailure() {
        MalformedPayloadException e = decodeFailure(new byte[0], Data.class);

        assertThat(e.reason()).isEqualTo(MalformedPayloadException.Reason.EMPTY);
        assertThat(e.messageType()).isEqualTo("Data");
    }

    @Test
    void decode_garbage_isTypedUnparseableFailure() {
        MalformedPayloadException e = decodeFailure(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, Birth.class);

        assertThat(e.reason()).isEqualTo(MalformedPayloadException.Reason.UNPARSEABLE);
    }

    @Test
    void decode_columnsOfDifferentLength_isInvalid() {
        Data bad = data().toBuilder().addValue(1.0).build();

        assertThat(decodeFailure(bad.toByteArray(), Data.class))
                .hasMessage("Data: value: 3 values for 2 aliases")
                .extracting(MalformedPayloadException::reason)
                .isEqualTo(MalformedPayloadException.Reason.INVALID);
    }

    @Test
    void decode_invalidMessages_namesTheBrokenField() {
        assertThat(decodeFailure(data().toBuilder().setBootId(0).build().toByteArray(), Data.class))
                .hasMessage("Data: boot_id: must not be 0");
        assertThat(decodeFailure(data().toBuilder().setSeq(0).build().toByteArray(), Data.class))
                .hasMessage("Data: seq: must be at least 1");
        assertThat(decodeFailure(data().toBuilder().addOffsetMs(5).build().toByteArray(), Data.class))
                .hasMessage("Data: offset_ms: 1 offsets for 2 aliases");
        assertThat(decodeFailure(birth().toBuilder().setAgentId("a/b").build().toByteArray(), Birth.class))
                .hasMessageContaining("Birth: agent_id: 'a/b' contains '/'");
        assertThat(decodeFailure(
                        birth().toBuilder().setPendingFromSeq(8).build().toByteArray(), Birth.class))
                .hasMessage("Birth: pending_from_seq: must be between 1 and seq (7)");
        Birth duplicateAlias = birth().toBuilder()
                .setDevices(0, birth().getDevices(0).toBuilder().addMetrics(metric(1, "hashrate", "", "TH/s")))
                .build();
        assertThat(decodeFailure(duplicateAlias.toByteArray(), Birth.class))
                .hasMessage("Birth: devices[0].metrics[2].alias: duplicate alias 1");
        Birth twoSameDevices =
                birth().toBuilder().addDevices(birth().getDevices(0)).build();
        assertThat(decodeFailure(twoSameDevices.toByteArray(), Birth.class))
                .hasMessage("Birth: devices[2].id: duplicate device 'miner-001'");
        Birth badName = birth().toBuilder()
                .setDevices(0, birth().getDevices(0).toBuilder().setMetrics(0, metric(1, "Power..W", "", "W")))
                .build();
        assertThat(decodeFailure(badName.toByteArray(), Birth.class))
                .hasMessage("Birth: devices[0].metrics[0].name: 'Power..W' is not lowercase and dot-separated");
        Command noTtl = ((Command) everyMessageType()
                        .filter(Command.class::isInstance)
                        .findFirst()
                        .orElseThrow())
                .toBuilder().setTtlMs(0).build();
        assertThat(decodeFailure(noTtl.toByteArray(), Command.class)).hasMessage("Command: ttl_ms: must be positive");
        Command noVerb = noTtl.toBuilder().setTtlMs(1000).clearVerb().build();
        assertThat(decodeFailure(noVerb.toByteArray(), Command.class)).hasMessage("Command: verb: must be set");
    }

    @Test
    void decode_birthWithCapabilities_keepsEveryField() throws MalformedPayloadException {
        Birth decoded = WireCodec.decode(WireCodec.encode(birth()), Birth.class);

        Capability power = decoded.getDevices(0).getCapabilities(0);
        assertThat(power).isEqualTo(powerTarget());
        assertThat(List.of(power.getMin(), power.getMax(), power.getStep(), power.getTolerance()))
                .containsExactly(1200.0, 3300.0, 100.0, 50.0);
        assertThat(power.getSettleMs()).isEqualTo(30_000);
        assertThat(power.getRampMs()).isEqualTo(60_000);
        assertThat(power.getReadBackMetric()).isEqualTo("power.target");
        Capability outlet = decoded.getDevices(1).getCapabilities(0);
        assertThat(outlet.getVerb()).isEqualTo(Verb.VERB_OUTLET_OFF);
        assertThat(outlet.getInstancesList()).containsExactly("1", "2");
        assertThat(outlet.getDangerous()).isTrue();
    }

    @Test
    void decode_commandWithInstance_keepsIt() throws MalformedPayloadException {
        Command outlet = (Command) everyMessageType()
                .filter(m -> m instanceof Command c && !c.getInstance().isEmpty())
                .findFirst()
                .orElseThrow();

        assertThat(WireCodec.decode(WireCodec.encode(outlet), Command.class).getInstance())
                .isEqualTo("7");
    }

    static Stream<Arguments> badCapabilities() {
        Capability power = powerTarget();
        Capability sleep = Capability.newBuilder().setVerb(Verb.VERB_SLEEP).build();
        return Stream.of(
                Arguments.of(power.toBuilder().clearVerb().build(), "capabilities[0].verb: must be set"),
                Arguments.of(power.toBuilder().setVerbValue(99).build(), "capabilities[0].verb: unknown verb 99"),
                Arguments.of(
                        power.toBuilder().setMin(3400).build(),
                        "capabilities[0].min: 3400.0 is greater than max 3300.0"),
                Arguments.of(power.toBuilder().setMin(Double.NaN).build(), "capabilities[0].min: must be finite"),
                Arguments.of(
                        power.toBuilder().setMax(Double.POSITIVE_INFINITY).build(),
                        "capabilities[0].max: must be finite"),
                Arguments.of(
                        power.toBuilder().setStep(-1).build(), "capabilities[0].step: must be a finite number ≥ 0"),
                Arguments.of(
                        power.toBuilder().setStep(Double.NaN).build(),
                        "capabilities[0].step: must be a finite number ≥ 0"),
                Arguments.of(
                        power.toBuilder().setTolerance(-0.5).build(),
                        "capabilities[0].tolerance: must be a finite number ≥ 0"),
                Arguments.of(
                        power.toBuilder().setTolerance(Double.POSITIVE_INFINITY).build(),
                        "capabilities[0].tolerance: must be a finite number ≥ 0"),
                Arguments.of(
                        power.toBuilder().setUnit("W".repeat(17)).build(),
                        "capabilities[0].unit: must be at most 16 characters"),
                Arguments.of(
                        power.toBuilder().setReadBackMetric("Power Target").build(),
                        "capabilities[0].read_back_metric: 'Power Target' is not lowercase and dot-separated"),
                Arguments.of(
                        power.toBuilder().setReadBackMetric("p".repeat(65)).build(),
                        "capabilities[0].read_back_metric: '" + "p".repeat(65)
                                + "' is not lowercase and dot-separated"),
                Arguments.of(
                        sleep.toBuilder().addInstances("1").addInstances("").build(),
                        "capabilities[0].instances[1]: must not be empty"),
                Arguments.of(
                        sleep.toBuilder().addInstances("a/b").build(),
                        "capabilities[0].instances[0]: 'a/b' contains '/'; allowed are letters, digits, '.', '_'"
                                + " and '-'"),
                Arguments.of(
                        sleep.toBuilder().addInstances("x".repeat(65)).build(),
                        "capabilities[0].instances[0]: must be at most 64 characters"),
                Arguments.of(
                        sleep.toBuilder()
                                .addInstances("1")
                                .addInstances("2")
                                .addInstances("1")
                                .build(),
                        "capabilities[0].instances[2]: duplicate instance '1'"));
    }

    @ParameterizedTest
    @MethodSource("badCapabilities")
    void decode_badCapability_rejectsTheBirthNamingTheField(Capability bad, String problem) {
        assertThat(decodeFailure(birthWith(bad).toByteArray(), Birth.class))
                .hasMessage("Birth: devices[0]." + problem)
                .extracting(MalformedPayloadException::reason)
                .isEqualTo(MalformedPayloadException.Reason.INVALID);
    }

    @Test
    void decode_sameVerbTwiceForOneDevice_isInvalid_butOnTwoDevicesIsFine() throws MalformedPayloadException {
        Capability sleep = Capability.newBuilder().setVerb(Verb.VERB_SLEEP).build();

        assertThat(decodeFailure(birthWith(powerTarget(), sleep, sleep).toByteArray(), Birth.class))
                .hasMessage("Birth: devices[0].capabilities[2].verb: VERB_SLEEP is listed twice for this device");
        Birth twoDevices = birthWith(sleep).toBuilder()
                .setDevices(1, birth().getDevices(1).toBuilder().addCapabilities(sleep))
                .build();
        assertThat(WireCodec.decode(twoDevices.toByteArray(), Birth.class)).isEqualTo(twoDevices);
    }

    @Test
    void decode_capabilityOfAVerbWithoutValue_needsNoUnitOrRange() throws MalformedPayloadException {
        Birth bare = birthWith(Capability.newBuilder()
                .setVerb(Verb.VERB_REBOOT)
                .setDangerous(true)
                .build());

        assertThat(WireCodec.decode(bare.toByteArray(), Birth.class)).isEqualTo(bare);
    }

    @Test
    void decode_commandInstance_mustBeAnIdWhenPresent() {
        Command command = Command.newBuilder()
                .setCommandId("c-3")
                .setDeviceId("pdu-1")
                .setVerb(Verb.VERB_OUTLET_OFF)
                .setIssuedAtMs(1)
                .setTtlMs(1000)
                .build();

        assertThat(decodeFailure(
                        command.toBuilder().setInstance("x".repeat(65)).build().toByteArray(), Command.class))
                .hasMessage("Command: instance: must be at most 64 characters");
        assertThat(decodeFailure(command.toBuilder().setInstance("7 8").build().toByteArray(), Command.class))
                .hasMessage("Command: instance: '7 8' contains ' '; allowed are letters, digits, '.', '_' and '-'");
        assertThat(decodeFailure(command.toBuilder().setVerbValue(0).build().toByteArray(), Command.class))
                .hasMessage("Command: verb: must be set");
    }

    @Test
    void decode_commandWithAVerbThisBuildDoesNotKnow_passesForTheAgentToRejectWithItsId() throws Exception {
        Command command = Command.newBuilder()
                .setCommandId("c-1")
                .setDeviceId("m-1")
                .setVerbValue(42)
                .setIssuedAtMs(1)
                .setTtlMs(1000)
                .build();

        Command decoded = WireCodec.decode(command.toByteArray(), Command.class);

        assertThat(decoded.getVerb()).isEqualTo(Verb.UNRECOGNIZED);
        assertThat(decoded.getVerbValue()).isEqualTo(42);
        assertThat(decoded.getCommandId()).isEqualTo("c-1");
    }

    @Test
    void decode_unknownEnumNumber_isInvalidNotSilentlyDefaulted() {
        // DeviceKind 99 does not exist in this version of the schema.
        Birth unknownKind = birth().toBuilder()
                .setDevices(0, birth().getDevices(0).toBuilder().setKindValue(99))
                .build();

        assertThat(decodeFailure(unknownKind.toByteArray(), Birth.class))
                .hasMessage("Birth: devices[0].kind: must be set");
    }

    @Test
    void decode_negativeOrInfiniteNameplateHashrate_isInvalid() throws Exception {
        for (double bad : new double[] {-1, Double.POSITIVE_INFINITY, Double.NaN}) {
            Birth birth = birth().toBuilder()
                    .setDevices(0, birth().getDevices(0).toBuilder().setNameplateHashrateThs(bad))
                    .build();
            assertThat(decodeFailure(birth.toByteArray(), Birth.class))
                    .hasMessage("Birth: devices[0].nameplate_hashrate_ths: must be a finite number ≥ 0");
        }
        Birth rated = birth().toBuilder()
                .setDevices(0, birth().getDevices(0).toBuilder().setNameplateHashrateThs(140))
                .build();
        assertThat(WireCodec.decode(ByteBuffer.wrap(rated.toByteArray()), Birth.class)
                        .getDevices(0)
                        .getNameplateHashrateThs())
                .isEqualTo(140);
    }

    @Test
    void decode_unknownQualityCode_isInvalid() {
        Data unknownQuality = data().toBuilder().setQualityValue(1, 7).build();

        assertThat(decodeFailure(unknownQuality.toByteArray(), Data.class))
                .hasMessage("Data: quality[1]: unknown code 7");
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void decode_everyTruncation_returnsValidMessageOrTypedFailure(Message message) {
        byte[] bytes = WireCodec.encode(message);
        for (int length = 0; length < bytes.length; length++) {
            ByteBuffer truncated = ByteBuffer.wrap(bytes, 0, length);
            Throwable thrown = catchThrowable(() -> WireCodec.decode(truncated, message.getClass()));
            if (thrown != null) {
                assertThat(thrown)
                        .as("truncated to %d of %d bytes", length, bytes.length)
                        .isInstanceOf(MalformedPayloadException.class);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void decode_randomCorruption_neverThrowsAnythingButTypedFailure(Message message) {
        byte[] original = WireCodec.encode(message);
        Random random = new Random(0x5eed);
        for (int round = 0; round < 2_000; round++) {
            byte[] mutated = original.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            Throwable thrown = catchThrowable(() -> WireCodec.decode(mutated, message.getClass()));
            if (thrown != null) {
                assertThat(thrown).as("round %d", round).isInstanceOf(MalformedPayloadException.class);
            }
        }
    }

    @Test
    void decode_doesNotMoveBufferPosition() throws MalformedPayloadException {
        ByteBuffer buffer = ByteBuffer.wrap(WireCodec.encode(data()));

        WireCodec.decode(buffer, Data.class);

        assertThat(buffer.position()).isZero();
    }

    @Test
    void decode_notAWireType_isProgrammingError() {
        assertThatThrownBy(() -> WireCodec.decode(new byte[] {1}, DeviceDescriptor.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void data_columns_areReadWithoutBoxing() throws MalformedPayloadException {
        Data decoded = WireCodec.decode(WireCodec.encode(data()), Data.class);

        // Primitive accessors of packed columns: what the controller's ingest loop uses.
        assertThat(List.of(decoded.getAlias(0), decoded.getAlias(1))).containsExactly(1, 2);
        assertThat(decoded.getValue(0)).isEqualTo(3250.0);
        assertThat(decoded.getQuality(1)).isEqualTo(Quality.QUALITY_UNCERTAIN);
    }

    private static MalformedPayloadException decodeFailure(byte[] bytes, Class<? extends Message> type) {
        Throwable thrown = catchThrowable(() -> WireCodec.decode(bytes, type));
        assertThat(thrown).isInstanceOf(MalformedPayloadException.class);
        return (MalformedPayloadException) thrown;
    }
}
