package io.headroom.controller.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The journal's directory: its lock, the names of its files, and the file operations whose order
 * makes a compaction crash-safe (write a temporary file, force it, rename it, force the directory).
 *
 * <pre>
 * journal.lock               held (flock) while a Journal is open: one controller per directory
 * journal-&lt;n&gt;.log            generation n; the highest n is the journal
 * journal-&lt;n&gt;.log.tmp        a generation being written; removed at open
 * journal-&lt;n&gt;.log[.k].damaged a damaged generation's copy, kept for a human; never read
 * </pre>
 */
final class JournalFiles implements AutoCloseable {

    static final Pattern GENERATION = Pattern.compile("journal-([1-9][0-9]{0,17})\\.log");
    static final Pattern TEMPORARY = Pattern.compile("journal-[0-9]+\\.log\\.tmp");

    /** Forces a channel to the disk (the journal times it). */
    interface Force {
        void force(FileChannel channel) throws IOException;
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private JournalFiles(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates {@code dir} (0700) if needed and takes its lock. */
    static JournalFiles lock(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            if (posix(absolute)) {
                Files.createDirectories(
                        absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(absolute);
            }
            // The new directory's own entry must survive a power loss as much as the files in it.
            Path parent = absolute.getParent();
            if (parent != null) {
                try (FileChannel channel = FileChannel.open(parent, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
        FileChannel channel =
                FileChannel.open(absolute.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(
                    "journal " + absolute + " is in use: another Journal holds " + absolute.resolve("journal.lock"));
        }
        return new JournalFiles(absolute, channel, lock);
    }

    Path dir() {
        return dir;
    }

    Path generation(long n) {
        return dir.resolve("journal-" + n + ".log");
    }

    /** The generations present, newest first. */
    List<Long> generations() throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                Matcher matcher = GENERATION.matcher(file.getFileName().toString());
                if (matcher.matches() && Files.isRegularFile(file)) {
                    found.add(Long.parseLong(matcher.group(1)));
                }
            }
        }
        found.sort((a, b) -> Long.compare(b, a));
        return found;
    }

    /** Deletes the temporary files an interrupted compaction left; returns their names. */
    List<String> removeTemporaries() throws IOException {
        List<String> removed = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                if (TEMPORARY.matcher(file.getFileName().toString()).matches()) {
                    Files.delete(file);
                    removed.add(file.getFileName().toString());
                }
            }
        }
        return removed;
    }

    /**
     * Writes generation {@code n}: a header with {@code nextSeq} and {@code frames}, under a temporary
     * name, forced, then renamed to its own name and the directory forced.
     *
     * @return its path
     */
    Path writeGeneration(long n, long nextSeq, ByteBuffer frames, Force force, Journal.StepHook hook)
            throws IOException {
        Path target = generation(n);
        Path temporary = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel out = FileChannel.open(
                temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileMode(dir))) {
            write(out, JournalCodec.header(nextSeq));
            write(out, frames);
            force.force(out);
        } catch (IOException e) {
            deleteQuietly(temporary, e);
            throw new IOException("journal " + temporary + ": cannot write the new generation: " + e.getMessage(), e);
        }
        hook.at(Journal.Step.TEMP_WRITTEN);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temporary, e);
            throw new IOException(
                    "journal " + temporary + ": cannot rename it to " + target.getFileName() + ": " + e.getMessage(),
                    e);
        }
        forceDirectory();
        return target;
    }

    /** Deletes a generation the newest one replaces, and forces the directory. */
    void deleteSuperseded(Path old) throws IOException {
        Files.deleteIfExists(old);
        forceDirectory();
    }

    /** Copies {@code file} to a free {@code <name>[.k].damaged} beside it, forced; returns the copy. */
    Path copyAside(Path file) throws IOException {
        Path copy = dir.resolve(file.getFileName() + ".damaged");
        for (int k = 2; Files.exists(copy); k++) {
            copy = dir.resolve(file.getFileName() + "." + k + ".damaged");
        }
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return copy;
    }

    /** Moves {@code file} to a free {@code <name>[.k].damaged} beside it; returns the new name. */
    Path moveAside(Path file) throws IOException {
        Path target = dir.resolve(file.getFileName() + ".damaged");
        for (int k = 2; Files.exists(target); k++) {
            target = dir.resolve(file.getFileName() + "." + k + ".damaged");
        }
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("journal " + file + ": cannot move it aside: " + target + " appeared", e);
        }
        forceDirectory();
        return target;
    }

    static FileChannel openForAppend(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** An {@code fsync} of the directory, so that a rename or unlink in it is durable. */
    void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private static void write(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static void deleteQuietly(Path file, IOException cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private static boolean posix(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
    }

    private static FileAttribute<?>[] fileMode(Path dir) throws IOException {
        if (!posix(dir)) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-------");
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
    }
}
