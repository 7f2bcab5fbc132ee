package io.headroom.simulator.meter;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.UnknownUnitIdException;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusServices;

/**
 * An SDM630's Modbus application layer, shared by the TCP and RTU meters: FC 04 from the model's
 * reading at each request; everything else is the library's default (exception 01, illegal function).
 */
record Sdm630Services(MeterModel model, int unitId, MeterCounters counters) implements ModbusServices {
    @Override
    public ReadInputRegistersResponse readInputRegisters(
            ModbusRequestContext context, int unit, ReadInputRegistersRequest request)
            throws ModbusResponseException, UnknownUnitIdException {
        if (unit != unitId) {
            counters.refused.incrementAndGet();
            throw new UnknownUnitIdException(unit);
        }
        int quantity = request.quantity();
        if (quantity < 1 || quantity > Sdm630Registers.MAX_QUANTITY) {
            counters.refused.incrementAndGet();
            throw new ModbusResponseException(FunctionCode.READ_INPUT_REGISTERS, ExceptionCode.ILLEGAL_DATA_VALUE);
        }
        if (request.address() < 0 || request.address() + quantity > Sdm630Registers.SIZE) {
            counters.refused.incrementAndGet();
            throw new ModbusResponseException(FunctionCode.READ_INPUT_REGISTERS, ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
        short[] image = Sdm630Registers.image(model.read());
        byte[] bytes = new byte[quantity * 2];
        for (int i = 0; i < quantity; i++) {
            short register = image[request.address() + i];
            bytes[2 * i] = (byte) (register >>> 8);
            bytes[2 * i + 1] = (byte) register;
        }
        counters.served.incrementAndGet();
        return new ReadInputRegistersResponse(bytes);
    }
}
