package dev.tempora.tensor.io;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Refuses unknown keys in a parsed JSON object, naming the closest known key, so that a typo in a config
 * ({@code "hiden_size"}) is an error instead of a silently ignored setting. Each parser passes its own
 * list of keys, the one it reads from.
 */
public final class JsonKeys {

    /** A key further than this many edits from every known key gets the full list instead of a suggestion. */
    private static final int MAX_SUGGESTION_DISTANCE = 3;

    private JsonKeys() {}

    /**
     * Checks that every key of {@code section} is one of {@code known}.
     *
     * @param section the parsed JSON object
     * @param known   the keys its parser reads
     * @param where   the section's name in messages, e.g. {@code model} or {@code data.csv}
     * @throws IllegalArgumentException naming the first unknown key and the closest known one
     */
    public static void requireKnown(Map<String, ?> section, Collection<String> known, String where) {
        for (String key : section.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(unknownKey(key, known, where));
            }
        }
    }

    /**
     * The message for an unknown key: {@code unknown key "hiden_size" in "model"; did you mean "hidden_size"?},
     * or the list of known keys when none is close.
     *
     * @param key   the unknown key
     * @param known the keys the section may hold
     * @param where the section's name
     * @return the message
     */
    public static String unknownKey(String key, Collection<String> known, String where) {
        String closest = closest(key, known);
        String head = "unknown key \"" + key + "\" in \"" + where + "\"";
        return closest != null ? head + "; did you mean \"" + closest + "\"?"
                : head + "; the known keys are " + String.join(", ", new TreeSet<>(known));
    }

    /**
     * The known key nearest to {@code key} by edit distance (case ignored), or null when none is within a
     * few edits (or a third of the key's length, for short keys).
     *
     * @param key   the unknown key
     * @param known the candidates
     * @return the nearest candidate, ties broken alphabetically, or null
     */
    public static String closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(known)) {
            int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int limit = Math.min(MAX_SUGGESTION_DISTANCE, Math.max(1, key.length() / 3));
        return bestDistance <= limit ? best : null;
    }

    /**
     * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring characters
     * (optimal string alignment), so that "feild" is one edit from "field".
     */
    static int editDistance(String a, String b) {
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
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
