package io.headroom.config;

/**
 * A number of bytes, written with a unit: {@code 512B}, {@code 64KiB}, {@code 16MiB}, {@code 2GiB}
 * (powers of 1024) or {@code 10kB}, {@code 10MB}, {@code 1GB} (powers of 1000). A bare number is
 * refused, since "64" might mean bytes or megabytes.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    /**
     * Parses {@code 16MiB} and friends.
     *
     * @throws IllegalArgumentException naming the units accepted
     */
    public static DataSize parse(String text) {
        throw new UnsupportedOperationException("config module: DataSize.parse not implemented yet");
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }
}
