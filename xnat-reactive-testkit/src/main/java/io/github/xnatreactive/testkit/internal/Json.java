package io.github.xnatreactive.testkit.internal;

/** Minimal JSON writing helpers (the testkit has no JSON library dependency). */
public final class Json {
    private Json() {}

    public static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    public static String quote(String s) {
        return string(new StringBuilder(), s).toString();
    }
}
