package io.headroom.simulator.cgminer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One miner's TCP listener on a {@link CgminerRpcServer}. Its address stays the same for its whole life,
 * including after a {@code refuse} fault is cleared. {@link #close()} is idempotent.
 */
public final class RpcListener implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(RpcListener.class);

    private final CgminerRpcServer server;
    private final InetSocketAddress address;
    private final RpcHandler handler;
    private final Faults faults;
    /** Selector thread only. */
    private ServerSocketChannel channel;

    private SelectionKey key;
    private volatile boolean closed;
    /** Guarded by this: the refuse fault and the device's lost supply each keep the port closed. */
    private boolean refused;

    private boolean dark;

    RpcListener(CgminerRpcServer server, InetSocketAddress address, RpcHandler handler, Faults faults) {
        this.server = server;
        this.address = address;
        this.handler = handler;
        this.faults = faults;
    }

    /** The bound address (loopback address and the real port, also when port 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    public Faults faults() {
        return faults;
    }

    RpcHandler handler() {
        return handler;
    }

    /** Stops listening and closes this miner's open connections; returns when done. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.runOnSelectorAndWait(() -> {
            closeChannel();
            server.closeConnectionsOf(this);
        });
    }

    /** Selector thread. */
    void register(ServerSocketChannel bound) {
        if (closed || channel != null) {
            closeQuietly(bound);
            return;
        }
        try {
            channel = bound;
            key = server.register(bound, this);
        } catch (IOException e) {
            logger.warn("could not register listener {}", address, e);
            closeChannel();
        }
    }

    /**
     * The device behind this listener lost ({@code true}) or regained its supply: a device without power
     * refuses connections like one whose port is closed, whatever the refuse fault says. Returns when done.
     */
    public synchronized void setDark(boolean dark) {
        this.dark = dark;
        apply();
    }

    /** Faults' refuse switch: close the listening socket, or bind the same port again. */
    synchronized void applyRefuse(boolean refuse) {
        this.refused = refuse;
        apply();
    }

    private void apply() {
        if (closed) {
            return;
        }
        boolean shut = refused || dark;
        boolean cut = dark;
        server.runOnSelectorAndWait(() -> {
            if (shut) {
                closeChannel();
                if (cut) {
                    // A device that loses power drops its open connections too.
                    server.closeConnectionsOf(this);
                }
            } else if (channel == null) {
                ServerSocketChannel bound = CgminerRpcServer.bind(address);
                channel = bound;
                key = server.register(bound, this);
            }
        });
    }

    private void closeChannel() {
        if (key != null) {
            key.cancel();
            key = null;
        }
        if (channel != null) {
            closeQuietly(channel);
            channel = null;
            // The socket of a registered channel is only released when the selector drops its cancelled key.
            server.flushCancelledKeys();
        }
    }

    private static void closeQuietly(ServerSocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            logger.debug("closing listener: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "RpcListener[" + address + "]";
    }
}
