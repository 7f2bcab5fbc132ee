package io.headroom.controller.journal;

import io.headroom.config.DataSize;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code journal:} section of {@code controller.yaml} ({@code docs/journal.md}).
 *
 * @param dir directory of the journal files; absent: {@code <data-dir>/journal}
 * @param fsync when an append is forced to the disk before it returns
 * @param maxBytes size of the journal file above which its owner should {@link Journal#compact compact}
 *     it ({@link Journal#compactionDue()}); nothing is dropped by the journal itself
 * @param maxRecordSize largest record, framing included; a larger append is refused and never written
 */
@Doc("The controller's journal of grid events, command intents and outcomes and operator actions, replayed at"
        + " start-up.")
public record JournalSettings(
        @Doc("Directory of the journal files; absent: <data-dir>/journal. Relative to this file's directory.")
        Optional<Path> dir,

        @Doc("always: fsync every append (or batch) before it returns; never: leave it to the OS. Both survive"
                + " kill -9; with never, a power loss may take the last seconds of records.")
        @Default("always")
        Fsync fsync,

        @Doc("Journal size above which the controller compacts it to the records still live.")
        @Default("64MiB")
        @Range(min = "64KiB", max = "1GiB")
        DataSize maxBytes,

        @Doc("Largest record, framing included; a larger append is refused and never written.")
        @Default("1MiB")
        @Range(min = "1KiB", max = "64MiB")
        DataSize maxRecordSize) {

    /** Hard bound of {@link #maxRecordSize()}: what a replay accepts whatever the setting is today. */
    static final long MAX_RECORD_LIMIT = 64L << 20;

    /** When an append is forced to the disk. */
    public enum Fsync {
        /** {@code fsync} of every append or batch before it returns: nothing acknowledged is lost. */
        ALWAYS,
        /** The kernel's page cache only: kill -9 safe; a power loss may take the last seconds. */
        NEVER
    }

    public JournalSettings {
        if (maxRecordSize.bytes() > MAX_RECORD_LIMIT) {
            throw new IllegalArgumentException(
                    "max-record-size: " + maxRecordSize.bytes() + " bytes is above the limit of 64MiB");
        }
        if (maxRecordSize.compareTo(maxBytes) > 0) {
            throw new IllegalArgumentException("max-record-size: " + maxRecordSize.bytes()
                    + " bytes is larger than max-bytes (" + maxBytes.bytes() + " bytes)");
        }
    }

    /** Every default: {@code <data-dir>/journal}, fsync always, 64 MiB, records up to 1 MiB. */
    public static JournalSettings defaults() {
        return new JournalSettings(Optional.empty(), Fsync.ALWAYS, new DataSize(64L << 20), new DataSize(1L << 20));
    }

    /** The defaults with another fsync policy. */
    public static JournalSettings defaults(Fsync fsync) {
        return new JournalSettings(Optional.empty(), fsync, new DataSize(64L << 20), new DataSize(1L << 20));
    }

    /** Where the journal lives: {@link #dir()}, or {@code <dataDir>/journal}. */
    public Path dirUnder(Path dataDir) {
        return dir.orElse(dataDir.resolve("journal"));
    }
}
