package io.github.xnatreactive.micrometer.internal;

import java.util.Set;

/**
 * Keeps tag values bounded. The client's own requests name their path by a template already
 * ({@code /data/projects/{project}}); a raw request ({@code XnatClient.request}) names it by the path it was given,
 * which may hold IDs and labels: such a path is reduced to its XNAT shape, every ID after a collection name replaced
 * by a placeholder and everything after {@code files} by {@code {path}}.
 */
public final class PathTemplates {
    /** XNAT's REST collections: the segment after one of these is an ID or a label. */
    private static final Set<String> COLLECTIONS = Set.of(
            "projects",
            "subjects",
            "experiments",
            "scans",
            "resources",
            "files",
            "assessors",
            "reconstructions",
            "users",
            "config",
            "searches",
            "search",
            "pipelines",
            "aliases",
            "services",
            "investigators",
            "groups");

    private PathTemplates() {}

    /**
     * The bounded form of a path.
     *
     * @param path a template or a raw path
     * @return a template: the path itself when it is one, else its shape
     */
    public static String of(String path) {
        if (path == null || path.isEmpty()) {
            return "UNKNOWN";
        }
        if (path.indexOf('{') >= 0) {
            return path;
        }
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        StringBuilder out = new StringBuilder();
        String previous = null; // the previous segment as written: a collection, a placeholder or a fixed word
        int depth = 0;
        for (String seg : p.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            depth++;
            out.append('/');
            if (previous != null && previous.equals("files")) {
                return out.append("{path}").toString();
            }
            String written;
            if (previous != null && COLLECTIONS.contains(previous)) {
                written = "{" + singular(previous) + "}";
            } else if (COLLECTIONS.contains(seg)
                    || looksFixed(seg)
                            && (depth <= 3
                                    || previous != null && previous.startsWith("{") && !previous.equals("{id}"))) {
                written = seg; // a word of the API: at the top, or right after an ID (.../{project}/prearchive_code)
            } else {
                written = "{id}";
            }
            out.append(written);
            previous = written;
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** A segment that reads like a fixed word of the API, not like an ID ({@code JSESSION}, {@code siteConfig}). */
    private static boolean looksFixed(String s) {
        if (s.length() > 40) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetter(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static String singular(String collection) {
        return switch (collection) {
            case "projects" -> "project";
            case "subjects" -> "subject";
            case "experiments" -> "experiment";
            case "scans" -> "scan";
            case "resources" -> "resource";
            case "assessors" -> "assessor";
            case "reconstructions" -> "reconstruction";
            case "users" -> "user";
            default -> "id";
        };
    }
}
