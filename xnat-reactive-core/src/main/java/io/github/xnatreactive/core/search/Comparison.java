package io.github.xnatreactive.core.search;

import java.util.Locale;

/** The comparisons XNAT's search engine accepts in a criterion ({@code xdat:comparison_type}). */
public enum Comparison {
    /** Equal ({@code =}). */
    EQ("="),
    /** Not equal ({@code !=}). */
    NE("!="),
    /** Less than ({@code <}); numbers compare as numbers, dates and text as text. */
    LT("<"),
    /** Greater than ({@code >}). */
    GT(">"),
    /** Less than or equal ({@code <=}). */
    LE("<="),
    /** Greater than or equal ({@code >=}). */
    GE(">="),
    /** SQL {@code LIKE}: {@code %} matches any run of characters, {@code _} one; pyxnat's {@code *} becomes {@code %}. */
    LIKE("LIKE"),
    /** {@code IS NULL}: the field has no value. */
    IS("IS"),
    /** {@code IS NOT NULL}: the field has a value. */
    IS_NOT("IS NOT");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /**
     * The comparison as XNAT writes it in a search document.
     *
     * @return {@code =}, {@code !=}, {@code <}, {@code >}, {@code <=}, {@code >=}, {@code LIKE}, {@code IS} or
     *     {@code IS NOT}
     */
    public String symbol() {
        return symbol;
    }

    /**
     * The comparison for XNAT's symbol, ignoring case and extra spaces ({@code "is  not"}); {@code <>} is
     * {@link #NE}.
     *
     * @param symbol one of the symbols of {@link #symbol()}
     * @return the comparison
     * @throws IllegalArgumentException for a symbol XNAT does not accept
     */
    public static Comparison of(String symbol) {
        String s = symbol == null ? "" : symbol.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (s.equals("<>")) {
            return NE;
        }
        for (Comparison c : values()) {
            if (c.symbol.equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "Not a comparison XNAT accepts: '" + symbol + "' (use =, !=, <, >, <=, >=, LIKE, IS or IS NOT)");
    }
}
