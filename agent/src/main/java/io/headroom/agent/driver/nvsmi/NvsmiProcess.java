package io.headroom.agent.driver.nvsmi;

import io.headroom.agent.rawreply.RawReplyRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs nvidia-smi, bounded: the process must exit and its output (stdout and stderr together, as a
 * person at a terminal reads them) must end within the timeout, and the output may be at most
 * {@link #MAX_OUTPUT_BYTES}. Past either limit the process and everything it started is killed
 * ({@code destroyForcibly}); a run never blocks longer than its timeout plus a moment.
 *
 * <p>The output is read by a short-lived daemon thread per run, since a pipe read cannot time out.
 * Not for concurrent use, except {@link #close()}, which kills the run in flight.
 */
final class NvsmiProcess implements AutoCloseable {

    /** Largest output accepted; {@code -q -x} for 8 GPUs with their process lists is a few hundred KiB. */
    static final int MAX_OUTPUT_BYTES = 8 << 20;

    /** What a run printed and how it ended. */
    record Output(int exitCode, byte[] bytes) {
        /** The output as text, lines trimmed and joined with {@code "; "}, at most 500 characters. */
        String words() {
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            String joined = String.join(
                    "; ",
                    text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
            return joined.length() <= 500 ? joined : joined.substring(0, 500) + "…";
        }
    }

    private final RawReplyRecorder replies;
    private volatile Process inFlight;
    private volatile boolean closed;

    NvsmiProcess() {
        this(RawReplyRecorder.NONE);
    }

    /** @param replies keeps each command line and what it printed (with its exit code), for the raw last reply */
    NvsmiProcess(RawReplyRecorder replies) {
        this.replies = replies;
    }

    /** Runs {@code command}; the recorder keeps the command line and its output, or why there is none. */
    Output run(List<String> command, Duration timeout) throws NvsmiException, InterruptedException {
        String asked = String.join(" ", command);
        try {
            Output output = execute(command, timeout);
            replies.exchange(
                    asked, "exit " + output.exitCode() + "\n" + new String(output.bytes(), StandardCharsets.UTF_8));
            return output;
        } catch (NvsmiException e) {
            replies.failed(asked, e.getMessage());
            throw e;
        }
    }

    private Output execute(List<String> command, Duration timeout) throws NvsmiException, InterruptedException {
        String shown = String.join(" ", command);
        if (closed) {
            throw new NvsmiException(NvsmiException.CLOSED, true, shown + ": driver closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NvsmiException(
                    NvsmiException.CONNECTION_REFUSED, true, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        inFlight = process;
        try {
            if (closed) {
                throw new NvsmiException(NvsmiException.CLOSED, true, shown + ": driver closed");
            }
            closeQuietly(process);
            CompletableFuture<byte[]> output = new CompletableFuture<>();
            Thread reader = new Thread(() -> read(process, output), "nvidia-smi-output");
            reader.setDaemon(true);
            reader.start();
            boolean exited = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!exited) {
                kill(process);
                throw closedOr(new NvsmiException(
                        NvsmiException.TIMEOUT,
                        true,
                        shown + ": no exit within " + timeout.toMillis() + " ms; killed"));
            }
            byte[] bytes;
            try {
                // The pipe closes at exit unless something the command started still holds it.
                bytes = output.get(Math.max(100_000_000L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                kill(process);
                throw closedOr(new NvsmiException(
                        NvsmiException.TIMEOUT, true, shown + ": output still open after exit; killed"));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof OutputTooLarge) {
                    throw new NvsmiException(
                            NvsmiException.OVERSIZE,
                            false,
                            shown + ": printed more than " + MAX_OUTPUT_BYTES + " bytes; killed");
                }
                throw closedOr(new NvsmiException(
                        NvsmiException.COMMAND_FAILED, true, shown + ": reading its output failed: " + e.getCause()));
            }
            if (closed) {
                throw new NvsmiException(NvsmiException.CLOSED, true, shown + ": driver closed");
            }
            return new Output(process.exitValue(), bytes);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            inFlight = null;
        }
    }

    private NvsmiException closedOr(NvsmiException e) {
        return closed ? new NvsmiException(NvsmiException.CLOSED, true, "driver closed") : e;
    }

    private static void read(Process process, CompletableFuture<byte[]> output) {
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > MAX_OUTPUT_BYTES) {
                    kill(process);
                    output.completeExceptionally(new OutputTooLarge());
                    return;
                }
                out.write(buffer, 0, n);
            }
            output.complete(out.toByteArray());
        } catch (IOException | RuntimeException e) {
            output.completeExceptionally(e);
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close(); // nvidia-smi reads no input
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Kills the process and everything it started. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Kills the run in flight, if any; later runs fail with reason {@code closed}. */
    @Override
    public void close() {
        closed = true;
        Process process = inFlight;
        if (process != null) {
            kill(process);
        }
    }

    /** Output past the cap. */
    private static final class OutputTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
