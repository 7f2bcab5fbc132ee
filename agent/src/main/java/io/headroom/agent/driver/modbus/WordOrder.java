package io.headroom.agent.driver.modbus;

/**
 * The order in which a device sends the bytes of a multi-register value, named as Telegraf names it
 * after the bytes of a 32-bit value A B C D (A most significant). Modbus itself sends each register
 * high byte first and says nothing about how registers make a wider value, so every profile says:
 *
 * <ul>
 *   <li>{@code ABCD}: big-endian, the high register first (Eastron, Schneider, ABB);
 *   <li>{@code CDAB}: the low register first, each register high byte first ("word swap", many PLCs);
 *   <li>{@code BADC}: the high register first, each register low byte first ("byte swap");
 *   <li>{@code DCBA}: little-endian, the low register first and each register low byte first.
 * </ul>
 *
 * For 64-bit values the same rule applies to four registers (CDAB sends them lowest first). For a
 * 16-bit value only the byte swap matters: ABCD and CDAB read it as sent, BADC and DCBA swap its bytes.
 */
public enum WordOrder {
    ABCD(false, false),
    CDAB(true, false),
    BADC(false, true),
    DCBA(true, true);

    private final boolean lowWordFirst;
    private final boolean bytesSwapped;

    WordOrder(boolean lowWordFirst, boolean bytesSwapped) {
        this.lowWordFirst = lowWordFirst;
        this.bytesSwapped = bytesSwapped;
    }

    /**
     * The value's bits, big-endian in the low {@code 16 × count} bits of the result, from {@code count}
     * registers (each 0–65535, in the order received) starting at {@code offset}.
     */
    public long assemble(int[] registers, int offset, int count) {
        long raw = 0;
        for (int i = 0; i < count; i++) {
            int word = registers[offset + (lowWordFirst ? count - 1 - i : i)];
            if (bytesSwapped) {
                word = ((word & 0xFF) << 8) | (word >>> 8);
            }
            raw = (raw << 16) | word;
        }
        return raw;
    }

    /** The registers to send for a value whose big-endian bits are {@code raw}; the inverse of {@link #assemble}. */
    public int[] split(long raw, int count) {
        int[] registers = new int[count];
        for (int i = 0; i < count; i++) {
            int word = (int) ((raw >>> (16 * (count - 1 - i))) & 0xFFFF);
            if (bytesSwapped) {
                word = ((word & 0xFF) << 8) | (word >>> 8);
            }
            registers[lowWordFirst ? count - 1 - i : i] = word;
        }
        return registers;
    }
}
