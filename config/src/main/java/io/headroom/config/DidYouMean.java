package io.headroom.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the key a misspelt key was meant to be: the closest known key by Damerau-Levenshtein
 * distance (optimal string alignment), when that distance is at most 2, or at most a third of the
 * longer key's length for long keys, or when one key is a prefix of the other (ranked as one and a
 * half edits, so {@code poll} suggests {@code poll-interval} rather than {@code port}). Case and camelCase
 * do not count as differences ({@code pollInterval} suggests {@code poll-interval}).
 */
final class DidYouMean {

    private static final int SHORTEST_PREFIX = 3;

    private DidYouMean() {}

    static Optional<String> suggest(String written, Collection<String> known) {
        String typed = written.toLowerCase(Locale.ROOT);
        String kebab = KeyNames.kebab(written);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : known) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            int distance = Math.min(distance(typed, lower), distance(kebab, lower));
            boolean close = distance <= Math.max(2, Math.max(typed.length(), lower.length()) / 3);
            // in half edits: a prefix counts as one and a half edits, so it beats a two-edit near miss
            int score = close ? 2 * distance : Integer.MAX_VALUE;
            if (isPrefix(typed, lower)) {
                score = Math.min(score, 3);
            }
            if (score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean isPrefix(String a, String b) {
        String shorter = a.length() <= b.length() ? a : b;
        String longer = shorter == a ? b : a;
        return shorter.length() >= SHORTEST_PREFIX && longer.startsWith(shorter);
    }

    /** Edits (insert, delete, substitute, swap two neighbours) to turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
