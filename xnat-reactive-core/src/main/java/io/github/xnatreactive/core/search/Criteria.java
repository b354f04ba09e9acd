package io.github.xnatreactive.core.search;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * What a search keeps: a {@link Condition} on one field, or a {@link Group} of criteria joined by AND or OR, nested
 * as deep as needed (XNAT's {@code xdat:criteria} and {@code xdat:child_set}). A field is a display field of the
 * query's root type ({@code "AGE"}) or of another type, written {@code type/FIELD}
 * ({@code "xnat:subjectData/GENDER_TEXT"}); XPaths such as {@code "xnat:mrSessionData/fieldStrength"} work as
 * well. Values are text, as XNAT's are; numbers compare as numbers on the server.
 *
 * <p>For example {@code Criteria.and(Criteria.eq("PROJECT", "P1"), Criteria.or(Criteria.gt("AGE", "30"),
 * Criteria.isNull("AGE")))}, or from text: {@code Criteria.parse("AGE>30")}.
 */
public sealed interface Criteria permits Criteria.Condition, Criteria.Group {

    /**
     * One comparison of a field with a value.
     *
     * @param field a field of the root type ({@code AGE}) or {@code type/FIELD}
     * @param comparison how the field's value compares with {@code value}
     * @param value the value; {@code NULL} for {@link Comparison#IS} and {@link Comparison#IS_NOT}; with
     *     {@link Comparison#LIKE}, pyxnat's {@code *} is written as XNAT's {@code %}
     */
    record Condition(String field, Comparison comparison, String value) implements Criteria {
        /**
         * Checks the condition.
         *
         * @param field a field of the root type or {@code type/FIELD}, not blank
         * @param comparison the comparison, not null
         * @param value the value, not null
         * @throws IllegalArgumentException for a blank field, a null comparison or value, or a value other than
         *     {@code NULL} with {@code IS}/{@code IS NOT}
         */
        public Condition {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException("A criterion needs a field");
            }
            if (comparison == null || value == null) {
                throw new IllegalArgumentException("A criterion needs a comparison and a value: " + field);
            }
            if ((comparison == Comparison.IS || comparison == Comparison.IS_NOT) && !value.equalsIgnoreCase("NULL")) {
                throw new IllegalArgumentException(
                        comparison.symbol() + " compares with NULL only, not '" + value + "'");
            }
            field = field.trim();
            if (comparison == Comparison.IS || comparison == Comparison.IS_NOT) {
                value = "NULL";
            }
            if (comparison == Comparison.LIKE) {
                value = value.replace('*', '%');
            }
        }
    }

    /**
     * Criteria joined by AND ({@code or} false) or OR.
     *
     * @param or true when any member is enough, false when every member must hold
     * @param members the criteria, conditions or groups; not empty
     */
    record Group(boolean or, List<Criteria> members) implements Criteria {
        /**
         * Checks and copies the group.
         *
         * @param or true for OR, false for AND
         * @param members the criteria, not empty, no null
         * @throws IllegalArgumentException when {@code members} is null, empty or holds null
         */
        public Group {
            if (members == null || members.isEmpty() || members.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("A group of criteria needs at least one criterion, none null");
            }
            members = List.copyOf(members);
        }
    }

    /**
     * A condition with any comparison.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param comparison the comparison
     * @param value the value
     * @return the condition
     * @throws IllegalArgumentException as {@link Condition#Condition} does
     */
    static Condition of(String field, Comparison comparison, String value) {
        return new Condition(field, comparison, value);
    }

    /**
     * {@code field = value}.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param value the value
     * @return the condition
     */
    static Condition eq(String field, String value) {
        return of(field, Comparison.EQ, value);
    }

    /**
     * {@code field != value}.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param value the value
     * @return the condition
     */
    static Condition ne(String field, String value) {
        return of(field, Comparison.NE, value);
    }

    /**
     * {@code field < value}.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param value the value
     * @return the condition
     */
    static Condition lt(String field, String value) {
        return of(field, Comparison.LT, value);
    }

    /**
     * {@code field > value}.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param value the value
     * @return the condition
     */
    static Condition gt(String field, String value) {
        return of(field, Comparison.GT, value);
    }

    /**
     * {@code field <= value}.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param value the value
     * @return the condition
     */
    static Condition le(String field, String value) {
        return of(field, Comparison.LE, value);
    }

    /**
     * {@code field >= value}.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param value the value
     * @return the condition
     */
    static Condition ge(String field, String value) {
        return of(field, Comparison.GE, value);
    }

    /**
     * {@code field LIKE pattern}: {@code %} (or pyxnat's {@code *}) matches any run of characters.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param pattern the pattern
     * @return the condition
     */
    static Condition like(String field, String pattern) {
        return of(field, Comparison.LIKE, pattern);
    }

    /**
     * {@code field IS NULL}: the field has no value.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @return the condition
     */
    static Condition isNull(String field) {
        return of(field, Comparison.IS, "NULL");
    }

    /**
     * {@code field IS NOT NULL}: the field has a value.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @return the condition
     */
    static Condition isNotNull(String field) {
        return of(field, Comparison.IS_NOT, "NULL");
    }

    /**
     * Every member must hold.
     *
     * @param members the criteria, at least one
     * @return the AND group
     * @throws IllegalArgumentException when there is none
     */
    static Group and(Criteria... members) {
        return new Group(false, List.of(members));
    }

    /**
     * At least one member must hold.
     *
     * @param members the criteria, at least one
     * @return the OR group
     * @throws IllegalArgumentException when there is none
     */
    static Group or(Criteria... members) {
        return new Group(true, List.of(members));
    }

    /**
     * Reads a condition written as text, as the CLI takes it: {@code AGE>30}, {@code PROJECT=P1},
     * {@code xnat:subjectData/GENDER_TEXT != F}, {@code LABEL LIKE MR%}, {@code NOTE IS NULL},
     * {@code NOTE IS NOT NULL}. Spaces around the comparison are optional for the symbols.
     *
     * @param text the condition
     * @return the condition
     * @throws IllegalArgumentException when the text has no field, no comparison XNAT accepts, or a bad value
     */
    static Condition parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("No criterion given");
        }
        Matcher words = CriteriaText.WORDS.matcher(text.trim());
        if (words.matches()) {
            return of(
                    words.group(1),
                    Comparison.of(words.group(2)),
                    words.group(3).trim());
        }
        String t = text.trim();
        for (int i = 1; i < t.length(); i++) {
            for (String op : CriteriaText.SYMBOLS) {
                if (t.startsWith(op, i)) {
                    String field = t.substring(0, i).trim();
                    String value = t.substring(i + op.length()).trim();
                    return of(field, Comparison.of(op), value);
                }
            }
        }
        throw new IllegalArgumentException("Not a criterion: '" + text
                + "' (write FIELD<op>VALUE with =, !=, <, >, <=, >=, or FIELD LIKE|IS|IS NOT VALUE)");
    }
}
