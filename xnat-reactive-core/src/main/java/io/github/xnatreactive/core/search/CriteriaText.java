package io.github.xnatreactive.core.search;

import java.util.List;
import java.util.regex.Pattern;

/** What {@link Criteria#parse} reads: the word comparisons, and the symbols, two-character ones first. */
final class CriteriaText {
    static final Pattern WORDS = Pattern.compile("(?i)^(\\S+?)\\s+(IS\\s+NOT|IS|LIKE)\\s+(.*)$", Pattern.DOTALL);
    /** Two-character symbols first, so {@code <=} is not read as {@code <}. */
    static final List<String> SYMBOLS = List.of("!=", "<>", "<=", ">=", "=", "<", ">");

    private CriteriaText() {}
}
