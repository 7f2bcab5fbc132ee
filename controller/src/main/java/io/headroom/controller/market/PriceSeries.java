package io.headroom.controller.market;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A time-ordered, immutable list of prices. The value at {@code t} is the latest point at or before
 * {@code t}; a point's interval runs to the next point (the last point's is taken to be as long as
 * the one before it, since nothing says when it ends).
 */
public final class PriceSeries {
    private static final PriceSeries EMPTY = new PriceSeries(List.of());

    private final List<PricePoint> points;

    private PriceSeries(List<PricePoint> points) {
        this.points = points;
    }

    /**
     * A series of {@code points}, which must be in strictly increasing time order.
     *
     * @throws IllegalArgumentException naming the first point out of order
     */
    public static PriceSeries of(List<PricePoint> points) {
        List<PricePoint> copy = List.copyOf(points);
        for (int i = 1; i < copy.size(); i++) {
            if (!copy.get(i).at().isAfter(copy.get(i - 1).at())) {
                throw new IllegalArgumentException(
                        "points: point " + (i + 1) + " at " + copy.get(i).at() + " is not after point " + i + " at "
                                + copy.get(i - 1).at());
            }
        }
        return copy.isEmpty() ? EMPTY : new PriceSeries(copy);
    }

    public static PriceSeries empty() {
        return EMPTY;
    }

    public List<PricePoint> points() {
        return points;
    }

    public int size() {
        return points.size();
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** The latest point at or before {@code t}; empty before the first point. */
    public Optional<PricePoint> at(Instant t) {
        int index = indexAt(t);
        return index < 0 ? Optional.empty() : Optional.of(points.get(index));
    }

    /** The last point, if any. */
    public Optional<PricePoint> last() {
        return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
    }

    /**
     * How long the point at {@code index} holds: to the next point, or for the last point as long as
     * the interval before it; empty for a series of one point.
     */
    public Optional<Duration> interval(int index) {
        Objects.checkIndex(index, points.size());
        if (index + 1 < points.size()) {
            return Optional.of(Duration.between(
                    points.get(index).at(), points.get(index + 1).at()));
        }
        return index == 0 ? Optional.empty() : interval(index - 1);
    }

    /**
     * The points in force during {@code [from, to)}: the one in force at {@code from} (if any) and
     * every later one before {@code to}.
     */
    public PriceSeries between(Instant from, Instant to) {
        int start = Math.max(0, indexAt(from));
        List<PricePoint> out = new ArrayList<>();
        for (int i = start; i < points.size() && points.get(i).at().isBefore(to); i++) {
            out.add(points.get(i));
        }
        return new PriceSeries(List.copyOf(out));
    }

    /**
     * This series with {@code point} appended when it is later than the last point, or replacing the
     * last point when at the same time (a revised price); an earlier point changes nothing.
     */
    PriceSeries append(PricePoint point, int keepAtMost) {
        int size = points.size();
        if (size > 0 && point.at().isBefore(points.get(size - 1).at())) {
            return this;
        }
        int end = size > 0 && point.at().equals(points.get(size - 1).at()) ? size - 1 : size;
        List<PricePoint> out = new ArrayList<>(points.subList(Math.max(0, end + 1 - keepAtMost), end));
        out.add(point);
        return new PriceSeries(List.copyOf(out));
    }

    /** Index of the latest point at or before {@code t}, or -1. */
    private int indexAt(Instant t) {
        int found = Collections.binarySearch(points, new PricePoint(t, 0), (a, b) -> a.at().compareTo(b.at()));
        return found >= 0 ? found : -found - 2;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PriceSeries series && series.points.equals(points);
    }

    @Override
    public int hashCode() {
        return points.hashCode();
    }

    @Override
    public String toString() {
        return "PriceSeries" + points;
    }
}
