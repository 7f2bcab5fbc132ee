package io.headroom.agent.driver.modbus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * A minimal Modbus TCP slave on a loopback port (bound to port 0) answering from a {@link RegisterImage},
 * or, in the other modes, a device that accepts and never answers or answers garbage. Test code: the
 * contract test needs behaviours a conforming server (digitalpetri's) cannot be made to show.
 */
final class ImageTcpServer implements AutoCloseable {

    enum Mode {
        ANSWER,
        SILENT,
        GARBAGE
    }

    private final ServerSocket server;
    private final RegisterImage image;
    private final Mode mode;
    final CountDownLatch requested = new CountDownLatch(1);

    ImageTcpServer(RegisterImage image, Mode mode) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.image = image;
        this.mode = mode;
        Thread thread = new Thread(this::accept, "image-tcp-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                Thread thread = new Thread(() -> serve(socket), "image-tcp-connection");
                thread.setDaemon(true);
                thread.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            while (true) {
                byte[] header = in.readNBytes(7);
                if (header.length < 7) {
                    return;
                }
                int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
                byte[] pdu = in.readNBytes(length - 1);
                requested.countDown();
                switch (mode) {
                    case SILENT -> {}
                    case GARBAGE -> {
                        out.write(new byte[] {0x12, 0x34, 0x56, 0x78, 0x00, 0x02, 0x01, 0x03});
                        out.flush();
                    }
                    case ANSWER -> {
                        byte[] response = image.answer(pdu);
                        byte[] frame = new byte[7 + response.length];
                        System.arraycopy(header, 0, frame, 0, 4);
                        frame[4] = (byte) ((response.length + 1) >>> 8);
                        frame[5] = (byte) (response.length + 1);
                        frame[6] = header[6];
                        System.arraycopy(response, 0, frame, 7, response.length);
                        out.write(frame);
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
