package io.headroom.agent.transport.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.transport.modbus.ModbusException.Kind;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** PDU encoding and response checks against the examples of the Modbus Application Protocol v1.1b3. */
class ModbusPduTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    @Test
    void crc_ofAReadHoldingRegistersFrame_isTheKnownValue() {
        byte[] frame = RtuFrames.frame(1, ModbusPdu.read(ModbusTable.HOLDING, 0, 2));

        assertThat(frame).isEqualTo(hex("01 03 00 00 00 02 c4 0b"));
        assertThat(Crc16.check(frame, frame.length)).isTrue();
        frame[3] ^= 1;
        assertThat(Crc16.check(frame, frame.length)).isFalse();
    }

    @Test
    void read_encodesFunctionAddressAndCount_forEveryTable() {
        assertThat(ModbusPdu.read(ModbusTable.COIL, 0x13, 0x13)).isEqualTo(hex("01 00 13 00 13"));
        assertThat(ModbusPdu.read(ModbusTable.DISCRETE_INPUT, 0xC4, 0x16)).isEqualTo(hex("02 00 c4 00 16"));
        assertThat(ModbusPdu.read(ModbusTable.HOLDING, 0x6B, 3)).isEqualTo(hex("03 00 6b 00 03"));
        assertThat(ModbusPdu.read(ModbusTable.INPUT, 0x08, 1)).isEqualTo(hex("04 00 08 00 01"));
    }

    @Test
    void read_pastTheProtocolLimits_isRefused() {
        assertThatThrownBy(() -> ModbusPdu.read(ModbusTable.HOLDING, 0, 126))
                .hasMessageContaining("count: 126 must be 1 to 125");
        assertThatThrownBy(() -> ModbusPdu.read(ModbusTable.COIL, 0, 2001))
                .hasMessageContaining("count: 2001 must be 1 to 2000");
        assertThatThrownBy(() -> ModbusPdu.read(ModbusTable.INPUT, 0xFFFF, 2)).hasMessageContaining("run past 65535");
    }

    @Test
    void writes_encodeAsTheSpecificationsExamples() {
        assertThat(ModbusPdu.writeSingleCoil(0xAC, true)).isEqualTo(hex("05 00 ac ff 00"));
        assertThat(ModbusPdu.writeSingleCoil(0xAC, false)).isEqualTo(hex("05 00 ac 00 00"));
        assertThat(ModbusPdu.writeSingleRegister(1, 3)).isEqualTo(hex("06 00 01 00 03"));
        boolean[] coils = {true, false, true, true, false, false, true, true, true, false};
        assertThat(ModbusPdu.writeMultipleCoils(0x13, coils)).isEqualTo(hex("0f 00 13 00 0a 02 cd 01"));
        assertThat(ModbusPdu.writeMultipleRegisters(1, new int[] {0x000A, 0x0102}))
                .isEqualTo(hex("10 00 01 00 02 04 00 0a 01 02"));
    }

    @Test
    void registersAndBits_ofCheckedResponses_decode() throws Exception {
        byte[] request = ModbusPdu.read(ModbusTable.HOLDING, 0x6B, 3);
        byte[] response = hex("03 06 02 2b 00 00 00 64");
        ModbusPdu.check(request, response);
        assertThat(ModbusPdu.registers(response)).containsExactly(0x022B, 0, 100);

        byte[] coils = ModbusPdu.read(ModbusTable.COIL, 0x13, 0x13);
        byte[] bits = hex("01 03 cd 6b 05");
        ModbusPdu.check(coils, bits);
        assertThat(ModbusPdu.bits(bits, 19))
                .containsExactly(
                        true, false, true, true, false, false, true, true, true, true, false, true, false, true, true,
                        false, true, false, true);
    }

    @Test
    void check_exceptionResponse_isThrownWithItsName() {
        byte[] request = ModbusPdu.read(ModbusTable.INPUT, 0x0034, 2);

        assertThatThrownBy(() -> ModbusPdu.check(request, hex("84 02")))
                .isInstanceOfSatisfying(ModbusException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.EXCEPTION);
                    assertThat(e.exceptionCode()).isEqualTo(2);
                    assertThat(e.reason()).isEqualTo("modbus-exception-02");
                    assertThat(e.isTransient()).isFalse();
                })
                .hasMessage("function 04 refused: illegal data address (02)");
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("84 06")))
                .hasMessageContaining("slave device busy (06)")
                .isInstanceOfSatisfying(
                        ModbusException.class, e -> assertThat(e.isTransient()).isTrue());
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("84 0b")))
                .hasMessageContaining("gateway target device failed to respond (0B)");
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("84 01"))).hasMessageContaining("illegal function");
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("84 03"))).hasMessageContaining("illegal data value");
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("84 04"))).hasMessageContaining("slave device failure");
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("84 42")))
                .hasMessageContaining("unknown exception code 42");
    }

    @Test
    void check_responseThatDoesNotAnswerTheRequest_isABadResponse() {
        byte[] request = ModbusPdu.read(ModbusTable.HOLDING, 0, 2);

        assertThatThrownBy(() -> ModbusPdu.check(request, hex("04 04 00 00 00 00")))
                .hasMessageContaining("response is for function 04, not 03");
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("03 02 00 00")))
                .hasMessageContaining("has 4 bytes, not 6");
        assertThatThrownBy(() -> ModbusPdu.check(request, hex("03 05 00 00 00 00")))
                .hasMessageContaining("byte count 5");
        byte[] write = ModbusPdu.writeSingleRegister(1, 3);
        assertThatThrownBy(() -> ModbusPdu.check(write, hex("06 00 01 00 04")))
                .isInstanceOfSatisfying(
                        ModbusException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE))
                .hasMessageContaining("does not echo");
    }

    @Test
    void unframe_checksCrcThenUnitThenPdu() throws Exception {
        byte[] request = ModbusPdu.read(ModbusTable.HOLDING, 0, 2);
        byte[] reply = RtuFrames.frame(1, hex("03 04 00 e6 01 2c"));

        assertThat(RtuFrames.unframe(1, request, reply, reply.length)).isEqualTo(hex("03 04 00 e6 01 2c"));
        assertThatThrownBy(() -> RtuFrames.unframe(2, request, reply, reply.length))
                .hasMessageContaining("reply is from unit 1, not 2");
        byte[] corrupt = reply.clone();
        corrupt[4] = 0;
        assertThatThrownBy(() -> RtuFrames.unframe(1, request, corrupt, corrupt.length))
                .isInstanceOfSatisfying(
                        ModbusException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CRC));
    }

    @Test
    void completion_endsAtTheReplysLength_orAtFiveBytesForAnException() {
        byte[] request = ModbusPdu.read(ModbusTable.HOLDING, 0, 2);
        var completion = RtuFrames.completion(request);

        byte[] reply = RtuFrames.frame(1, hex("03 04 00 e6 01 2c"));
        assertThat(completion.isComplete(reply, 8)).isFalse();
        assertThat(completion.isComplete(reply, 9)).isTrue();
        assertThat(completion.isComplete(hex("01 83 02 c0 f1"), 4)).isFalse();
        assertThat(completion.isComplete(hex("01 83 02 c0 f1"), 5)).isTrue();
        assertThat(completion.endsOnSilence()).isTrue();
    }
}
