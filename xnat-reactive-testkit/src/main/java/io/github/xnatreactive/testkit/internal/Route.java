package io.github.xnatreactive.testkit.internal;

import java.util.List;
import java.util.Set;

/**
 * A data URL taken apart (contract section 1.2): which project, subject, experiment, scan/assessor/reconstruction,
 * resource and file path it names, and which collection (if any) it ends on.
 */
final class Route {
    String projectRef;
    boolean projectsCollection;
    String subjectRef;
    boolean subjectsCollection;
    String experimentRef;
    boolean experimentsCollection;
    Kind childKind;
    String childRef;
    boolean childCollection;
    String direction;
    boolean resourcesCollection;
    String resourceRef;
    /** True when the URL goes through {@code /files}. */
    boolean files;
    /** The path after {@code /files/} (may end with '/'), or "" for the listing itself. */
    String filePath;
    /** A project sub-resource such as accessibility or prearchive_code, with its arguments. */
    String projectExtra;

    List<String> extraArgs = List.of();
    /** A sub-path the testkit does not implement (sharing, status, history...). */
    String unsupported;

    /** Sub-paths real XNAT serves after an object that the testkit does not implement (answered 501). */
    private static final Set<String> XNAT_SUB_PATHS =
            Set.of("projects", "status", "history", "users", "DIR", "XAR", "pipelines", "workflows", "config");

    static Route parse(List<String> s, boolean trailingSlash) {
        Route r = new Route();
        int i = 0;
        if (s.isEmpty()) {
            throw XnatError.notFound("The server has not found anything matching the request URI");
        }
        switch (s.get(0)) {
            case "projects" -> {
                if (s.size() == 1) {
                    r.projectsCollection = true;
                    return r;
                }
                r.projectRef = s.get(1);
                i = 2;
                if (i < s.size()) {
                    String next = s.get(i);
                    switch (next) {
                        case "subjects" -> i = r.subjects(s, i, trailingSlash);
                        case "experiments" -> i = r.experiments(s, i, trailingSlash);
                        case "accessibility", "prearchive_code", "quarantine_code", "current_arc" -> {
                            r.projectExtra = next;
                            r.extraArgs = s.subList(i + 1, s.size());
                            return r;
                        }
                        default -> i = r.objectTail(s, i, trailingSlash);
                    }
                }
            }
            case "subjects" -> {
                r.subjectsCollection = s.size() == 1;
                i = r.subjects(s, 0, trailingSlash);
            }
            case "experiments" -> i = r.experiments(s, 0, trailingSlash);
            default -> throw XnatError.notFound("The server has not found anything matching the request URI");
        }
        if (i < s.size()) {
            throw XnatError.notFound("The server has not found anything matching the request URI");
        }
        return r;
    }

    private int subjects(List<String> s, int i, boolean slash) {
        if (i + 1 >= s.size()) {
            subjectsCollection = true;
            return s.size();
        }
        subjectRef = s.get(i + 1);
        i += 2;
        if (i < s.size() && s.get(i).equals("experiments")) {
            return experiments(s, i, slash);
        }
        return objectTail(s, i, slash);
    }

    private int experiments(List<String> s, int i, boolean slash) {
        if (i + 1 >= s.size()) {
            experimentsCollection = true;
            return s.size();
        }
        experimentRef = s.get(i + 1);
        i += 2;
        if (i < s.size()) {
            Kind k =
                    switch (s.get(i)) {
                        case "scans" -> Kind.SCAN;
                        case "assessors" -> Kind.ASSESSOR;
                        case "reconstructions" -> Kind.RECONSTRUCTION;
                        default -> null;
                    };
            if (k != null) {
                childKind = k;
                if (i + 1 >= s.size()) {
                    childCollection = true;
                    return s.size();
                }
                childRef = s.get(i + 1);
                i += 2;
                if (i < s.size() && (s.get(i).equals("in") || s.get(i).equals("out")) && k != Kind.SCAN) {
                    direction = s.get(i);
                    i++;
                    if (i >= s.size()) {
                        throw XnatError.notFound("The server has not found anything matching the request URI");
                    }
                }
            }
        }
        return objectTail(s, i, slash);
    }

    /** After an object: {@code resources[/{R}[/files[/path]]]} or {@code files[/path]}. */
    private int objectTail(List<String> s, int i, boolean slash) {
        if (i >= s.size()) {
            return i;
        }
        switch (s.get(i)) {
            case "resources" -> {
                if (i + 1 >= s.size()) {
                    resourcesCollection = true;
                    return s.size();
                }
                resourceRef = s.get(i + 1);
                i += 2;
                if (i >= s.size()) {
                    return i;
                }
                if (!s.get(i).equals("files")) {
                    throw XnatError.badRequest(
                            "A file path on a resource URL must follow /files: append /files to the resource URL.");
                }
                return files(s, i, slash);
            }
            case "files" -> {
                return files(s, i, slash);
            }
            default -> {
                if (!XNAT_SUB_PATHS.contains(s.get(i))) {
                    throw XnatError.badRequest("Unknown sub-path: " + String.join("/", s.subList(i, s.size())));
                }
                unsupported = String.join("/", s.subList(i, s.size()));
                return s.size();
            }
        }
    }

    private int files(List<String> s, int i, boolean slash) {
        files = true;
        List<String> rest = s.subList(i + 1, s.size());
        filePath = String.join("/", rest);
        if (slash && !filePath.isEmpty()) {
            filePath += "/";
        }
        return s.size();
    }
}
