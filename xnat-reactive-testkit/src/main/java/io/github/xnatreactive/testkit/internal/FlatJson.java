package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the small JSON bodies of the user API: one object of scalar values ({@code {"username":"u","enabled":true}})
 * or one array of strings ({@code ["Administrator"]}). Anything else is a 400.
 */
final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    /** The object's members, scalars as their text ({@code true}, {@code 12}); null values are left out. */
    static Map<String, String> object(String text) {
        FlatJson p = new FlatJson(text);
        Map<String, String> out = new LinkedHashMap<>();
        p.expect('{');
        if (!p.peek('}')) {
            do {
                String key = p.string();
                p.expect(':');
                String v = p.scalar();
                if (v != null) {
                    out.put(key, v);
                }
            } while (p.peek(','));
            p.expect('}');
        }
        p.end();
        return out;
    }

    /** The array's strings. */
    static List<String> strings(String text) {
        FlatJson p = new FlatJson(text);
        List<String> out = new ArrayList<>();
        p.expect('[');
        if (!p.peek(']')) {
            do {
                out.add(p.string());
            } while (p.peek(','));
            p.expect(']');
        }
        p.end();
        return out;
    }

    private void skip() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private boolean peek(char c) {
        skip();
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw bad();
        }
    }

    private void end() {
        skip();
        if (i != s.length()) {
            throw bad();
        }
    }

    private XnatError bad() {
        return XnatError.badRequest("Malformed JSON body at character " + i + ".");
    }

    private String scalar() {
        skip();
        if (i < s.length() && s.charAt(i) == '"') {
            return string();
        }
        int start = i;
        while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        String v = s.substring(start, i);
        if (v.equals("null")) {
            return null;
        }
        if (v.equals("true") || v.equals("false") || v.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return v;
        }
        throw bad();
    }

    private String string() {
        skip();
        if (i >= s.length() || s.charAt(i) != '"') {
            throw bad();
        }
        i++;
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    throw bad();
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw bad();
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw bad();
                        }
                        i += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        throw bad();
    }
}
