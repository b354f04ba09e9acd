package io.github.xnatreactive.testkit.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query (or form) parameters: multi-valued, in order, names and values percent-decoded. */
public final class Query {
    private final Map<String, List<String>> params = new LinkedHashMap<>();

    public static Query parse(String raw) {
        Query q = new Query();
        q.addAll(raw);
        return q;
    }

    /** Adds the pairs of an {@code a=b&c=d} string (a query or a form-encoded body). */
    public void addAll(String raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw XnatError.badRequest("Malformed query string");
        }
    }

    /** First value of a parameter (names compared exactly), or null. */
    public String get(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** First value of a parameter whose name matches ignoring case, or null. */
    public String getIgnoreCase(String name) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    public boolean flag(String name) {
        String v = getIgnoreCase(name);
        return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
    }

    public Map<String, List<String>> asMap() {
        return params;
    }
}
