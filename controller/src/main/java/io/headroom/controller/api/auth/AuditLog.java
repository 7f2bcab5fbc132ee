package io.headroom.controller.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The durable record of every write through the HTTP API: one JSON object per line, appended and
 * forced to disk ({@code fsync}) before the response goes out, so an answered write is on disk
 * even after a power cut. Operators write a few commands a minute, so one fsync per entry costs
 * nothing that matters (docs/decisions.md D18).
 *
 * <p>The file is only ever appended to; the controller never rewrites or rotates it (logrotate
 * with {@code copytruncate} may). A line torn by a crash mid-write is skipped when reading and
 * the next entry starts on a fresh line. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Guarded by {@code this}. */
    private final FileChannel channel;
    /** Guarded by {@code this}. */
    private boolean needsNewline;

    private AuditLog(Path file, FileChannel channel, boolean needsNewline) {
        this.file = file;
        this.channel = channel;
        this.needsNewline = needsNewline;
    }

    /**
     * Opens (or creates, with its directory) the log for appending.
     *
     * @throws IOException naming the file when it cannot be opened
     */
    public static AuditLog open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            boolean torn = false;
            long size = channel.size();
            if (size > 0) {
                try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    reader.read(last, size - 1);
                    torn = last.get(0) != '\n';
                }
            }
            return new AuditLog(file, channel, torn);
        } catch (IOException e) {
            throw new IOException("audit log " + file + ": cannot open for appending: " + e.getMessage(), e);
        }
    }

    /**
     * Appends one entry and forces it to disk.
     *
     * @throws UncheckedIOException when the disk refuses: the caller answers 500, never silently
     *     drops the record
     */
    public synchronized void append(AuditEntry entry) {
        ObjectNode node = mapper.createObjectNode();
        node.put("at", entry.at().toString());
        node.put("user", entry.user());
        node.put("role", entry.role());
        node.put("action", entry.action());
        node.put("target", entry.target());
        node.put("detail", entry.detail());
        node.put("source", entry.source());
        node.put("status", entry.status());
        node.put("outcome", entry.outcome());
        String line = (needsNewline ? "\n" : "") + node + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
            needsNewline = false;
        } catch (IOException e) {
            throw new UncheckedIOException("audit log " + file + ": cannot append: " + e.getMessage(), e);
        }
    }

    /**
     * The newest {@code limit} entries, oldest first. Reads the whole file: fine for the thousands
     * of entries a site writes in a year; lines that do not parse (a torn tail) are skipped.
     */
    public synchronized List<AuditEntry> newest(int limit) throws IOException {
        ArrayDeque<AuditEntry> kept = new ArrayDeque<>(Math.max(1, Math.min(limit, 1024)));
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                AuditEntry entry = parse(line);
                if (entry == null) {
                    continue;
                }
                if (kept.size() == limit) {
                    kept.removeFirst();
                }
                kept.addLast(entry);
            }
        }
        return List.copyOf(kept);
    }

    private AuditEntry parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(line);
            if (node == null || !node.isObject()) {
                return null;
            }
            return new AuditEntry(
                    Instant.parse(node.path("at").asText()),
                    node.path("user").asText(),
                    node.path("role").asText(),
                    node.path("action").asText(),
                    node.path("target").asText(),
                    node.path("detail").asText(),
                    node.path("source").asText(),
                    node.path("status").asInt(),
                    node.path("outcome").asText());
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
