package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path pattern: literal segments, {@code {name}} (one segment, bound by name), {@code *} (one segment),
 * and last {@code {name...}} or {@code **} (zero or more segments, bound joined by '/'). Patterns are written in
 * the {@code /data} form; {@link #normalize} maps {@code /REST} and {@code /data/archive} onto it.
 */
public final class PathPattern {
    private final String text;
    private final List<String> parts;
    private final String restName;

    private PathPattern(String text, List<String> parts, String restName) {
        this.text = text;
        this.parts = parts;
        this.restName = restName;
    }

    /**
     * Parses a pattern such as {@code /data/projects/{project}/subjects/{subject}/files/{path...}}.
     *
     * @throws IllegalArgumentException when it does not start with '/' or a rest segment is not last
     */
    public static PathPattern parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("A route pattern starts with '/': " + pattern);
        }
        List<String> parts = new ArrayList<>();
        String rest = null;
        String[] split = pattern.substring(1).split("/");
        for (int i = 0; i < split.length; i++) {
            String s = split[i];
            if (s.isEmpty()) {
                if (i == split.length - 1) {
                    break;
                }
                throw new IllegalArgumentException("Empty segment in route pattern: " + pattern);
            }
            boolean isRest = s.equals("**") || (s.startsWith("{") && s.endsWith("...}"));
            if (isRest) {
                if (i != split.length - 1) {
                    throw new IllegalArgumentException("A rest segment must be last: " + pattern);
                }
                rest = s.equals("**") ? "**" : s.substring(1, s.length() - 4);
            } else {
                if ((s.startsWith("{") != s.endsWith("}")) || s.equals("{}")) {
                    throw new IllegalArgumentException("Bad segment '" + s + "' in route pattern: " + pattern);
                }
                parts.add(s);
            }
        }
        return new PathPattern(pattern, List.copyOf(parts), rest);
    }

    /** The request path in the {@code /data} form: {@code /REST/x} and {@code /data/archive/x} become {@code /data/x}. */
    public static String normalize(String rawPath) {
        String p = rawPath;
        if (p.equals("/REST") || p.startsWith("/REST/")) {
            p = "/data" + p.substring(5);
        }
        if (p.equals("/data/archive") || p.startsWith("/data/archive/")) {
            p = "/data" + p.substring(13);
        }
        return p;
    }

    /** Variables bound by matching decoded segments (including the prefix, e.g. {@code data}), or null. */
    public Map<String, String> match(List<String> segments) {
        if (segments.size() < parts.size() || (restName == null && segments.size() != parts.size())) {
            return null;
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            String s = segments.get(i);
            if (p.startsWith("{")) {
                vars.put(p.substring(1, p.length() - 1), s);
            } else if (!p.equals("*") && !p.equals(s)) {
                return null;
            }
        }
        if (restName != null) {
            vars.put(restName, String.join("/", segments.subList(parts.size(), segments.size())));
        }
        return vars;
    }

    /** Whether a raw path (not decoded; {@code /REST} and {@code /data/archive} accepted) matches. */
    public boolean matches(String rawPath) {
        List<String> segs = new ArrayList<>();
        for (String s : normalize(rawPath).split("/")) {
            if (!s.isEmpty()) {
                segs.add(s);
            }
        }
        return match(segs) != null;
    }

    /** How many literal segments the pattern has: more literal patterns are more specific. */
    int literals() {
        int n = 0;
        for (String p : parts) {
            if (!p.startsWith("{") && !p.equals("*")) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return text;
    }
}
