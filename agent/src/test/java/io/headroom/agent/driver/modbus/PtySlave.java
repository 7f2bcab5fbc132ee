package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.Crc16;
import io.headroom.agent.transport.modbus.RtuFrames;
import io.headroom.agent.transport.serial.PtyEnd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The far end of a socat pty pair playing any number of RTU slaves: each unit answers from its own
 * {@link RegisterImage}; a unit not listed (or {@link #silence silenced}) never answers, as a dead slave on
 * RS-485 does. A unit can be given faults for its next replies: a corrupted CRC, garbage before the frame,
 * half a frame. Counts the requests each unit received. Test code.
 */
final class PtySlave implements AutoCloseable {

    /** What a unit does with its next request instead of answering properly. */
    enum Fault {
        BAD_CRC,
        GARBAGE_BEFORE,
        HALF_FRAME,
        SILENT
    }

    private final PtyEnd end;
    private final Map<Integer, RegisterImage> units = new ConcurrentHashMap<>();
    private final Map<Integer, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    PtySlave(Path deviceEnd) throws IOException {
        end = PtyEnd.open(deviceEnd);
        thread = new Thread(this::serve, "pty-slave");
        thread.setDaemon(true);
        thread.start();
    }

    PtySlave unit(RegisterImage image) {
        units.put(image.unit(), image);
        return this;
    }

    void silence(int unit) {
        units.remove(unit);
    }

    synchronized void fault(int unit, Fault... next) {
        Deque<Fault> queue = faults.computeIfAbsent(unit, u -> new ArrayDeque<>());
        for (Fault fault : next) {
            queue.add(fault);
        }
    }

    /** Requests addressed to {@code unit} so far, answered or not. */
    int received(int unit) {
        return received.computeIfAbsent(unit, u -> new AtomicInteger()).get();
    }

    private synchronized Fault nextFault(int unit) {
        Deque<Fault> queue = faults.get(unit);
        return queue == null ? null : queue.poll();
    }

    private void serve() {
        try {
            while (!closed) {
                byte[] head = end.read(7);
                int function = head[1] & 0xFF;
                int rest = function == 0x0F || function == 0x10 ? (head[6] & 0xFF) + 2 : 1;
                byte[] frame = new byte[7 + rest];
                System.arraycopy(head, 0, frame, 0, 7);
                System.arraycopy(end.read(rest), 0, frame, 7, rest);
                if (!Crc16.check(frame, frame.length)) {
                    continue; // a real slave ignores a frame with a bad CRC
                }
                int unit = frame[0] & 0xFF;
                received.computeIfAbsent(unit, u -> new AtomicInteger()).incrementAndGet();
                RegisterImage image = units.get(unit);
                Fault fault = nextFault(unit);
                if (image == null || fault == Fault.SILENT) {
                    continue;
                }
                byte[] pdu = java.util.Arrays.copyOfRange(frame, 1, frame.length - 2);
                byte[] reply = RtuFrames.frame(unit, image.answer(pdu));
                if (fault == Fault.BAD_CRC) {
                    reply[reply.length - 1] ^= 0x5A;
                } else if (fault == Fault.GARBAGE_BEFORE) {
                    end.write(new byte[] {0x00, (byte) 0xFF, 0x13, 0x37});
                } else if (fault == Fault.HALF_FRAME) {
                    reply = java.util.Arrays.copyOf(reply, reply.length / 2);
                }
                end.write(reply);
            }
        } catch (IOException e) {
            // the line hung up: the test is over
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        end.close();
    }
}
