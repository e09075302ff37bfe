package org.shoal.pipeline.util;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Name matching for messages and lookups: case-insensitive resolution and "did you mean"
 * suggestions.
 */
public final class Names {
  private Names() {}

  /**
   * {@code wanted} among {@code available}: the exact name, else the only case-insensitive match.
   */
  public static Optional<String> find(String wanted, Collection<String> available) {
    if (available.contains(wanted)) {
      return Optional.of(wanted);
    }
    List<String> folded = available.stream().filter(a -> a.equalsIgnoreCase(wanted)).toList();
    return folded.size() == 1 ? Optional.of(folded.get(0)) : Optional.empty();
  }

  /**
   * Up to {@code n} names of {@code available} closest to {@code wanted}: those containing it (or
   * contained in it) first, then by edit distance, ignoring case; only reasonably close ones.
   */
  public static List<String> closest(String wanted, Collection<String> available, int n) {
    String w = wanted.toLowerCase(Locale.ROOT);
    return available.stream()
        .filter(a -> isClose(w, a.toLowerCase(Locale.ROOT)))
        .sorted(
            Comparator.comparingInt((String a) -> score(w, a.toLowerCase(Locale.ROOT)))
                .thenComparing(a -> a))
        .limit(n)
        .toList();
  }

  private static boolean isClose(String w, String a) {
    return a.contains(w)
        || (w.contains(a) && a.length() >= 3)
        || editDistance(w, a) <= Math.max(2, w.length() / 3);
  }

  private static int score(String w, String a) {
    return (a.contains(w) || w.contains(a) ? 0 : 1000) + editDistance(w, a);
  }

  public static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
