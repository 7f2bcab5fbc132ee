package io.headroom.agent.transport.serial;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One end of a {@link SocatPtyPair} opened with plain file streams, independent of jSerialComm: the
 * device side of a test, or a probe of the bus's end that only asks how many bytes wait in the
 * terminal's input queue (FIONREAD; a second descriptor of the same terminal sees the same queue, and
 * jSerialComm's exclusive lock is advisory, so the probe does not disturb the bus).
 */
public final class PtyEnd implements AutoCloseable {
    private final FileInputStream in;
    private final FileOutputStream out;

    private PtyEnd(FileInputStream in, FileOutputStream out) {
        this.in = in;
        this.out = out;
    }

    public static PtyEnd open(Path path) throws IOException {
        FileInputStream in = new FileInputStream(path.toFile());
        try {
            return new PtyEnd(in, new FileOutputStream(path.toFile()));
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Blocks until {@code n} bytes have arrived. A plain read loop: {@code FileInputStream.readNBytes}
     * seeks on newer JDKs, which a terminal refuses ("Illegal seek").
     */
    public byte[] read(int n) throws IOException {
        byte[] bytes = new byte[n];
        for (int got = 0; got < n; ) {
            int read = in.read(bytes, got, n - got);
            if (read < 0) {
                throw new IOException("line hung up after " + got + " of " + n + " bytes");
            }
            got += read;
        }
        return bytes;
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Bytes waiting to be read at this end. */
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            out.close();
        }
    }
}
