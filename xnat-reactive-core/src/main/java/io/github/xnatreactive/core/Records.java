package io.github.xnatreactive.core;

import java.util.Map;

/** Helpers shared by the record types. */
final class Records {
    private Records() {}

    static String s(Map<String, String> row, String key) {
        return io.github.xnatreactive.core.internal.Rows.cell(row, key);
    }

    static long l(Map<String, String> row, String key) {
        String v = s(row, key);
        if (v.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new XnatProtocolException("Column " + key + " is not a number: '" + v + "'");
        }
    }
}
