package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.ModbusException;
import io.headroom.agent.transport.modbus.ModbusPdu;
import io.headroom.agent.transport.modbus.ModbusTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ModbusTransport} answered by a {@link RegisterImage} in memory; records the requests. */
final class ImageTransport implements ModbusTransport {

    final RegisterImage image;
    final List<byte[]> requests = new CopyOnWriteArrayList<>();

    ImageTransport(RegisterImage image) {
        this.image = image;
    }

    @Override
    public byte[] exchange(int unit, byte[] request, Duration timeout) throws ModbusException {
        requests.add(request.clone());
        if (unit != image.unit()) {
            throw new ModbusException(ModbusException.Kind.TIMEOUT, "unit " + unit + ": no such slave in the image");
        }
        byte[] response = image.answer(request);
        ModbusPdu.check(request, response);
        return response;
    }

    @Override
    public String describe() {
        return "register image";
    }

    @Override
    public void close() {}
}
