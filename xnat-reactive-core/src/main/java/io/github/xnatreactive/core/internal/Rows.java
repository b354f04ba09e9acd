package io.github.xnatreactive.core.internal;

import java.util.Map;

/** Reading the cells of a listing's row. */
public final class Rows {
    private Rows() {}

    /** The cell of a column, its name matched exactly first, then ignoring case; "" when the row has none. */
    public static String cell(Map<String, String> row, String key) {
        String v = row.get(key);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return "";
    }
}
