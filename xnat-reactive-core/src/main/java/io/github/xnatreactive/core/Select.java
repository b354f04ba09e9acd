package io.github.xnatreactive.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;

/** pyxnat's path grammar ({@code /projects/P* /subjects/* /experiments}) expanded into refs. */
final class Select {
    private static final Map<String, String> LEVELS = Map.ofEntries(
            Map.entry("project", "projects"), Map.entry("projects", "projects"),
            Map.entry("subject", "subjects"), Map.entry("subjects", "subjects"),
            Map.entry("experiment", "experiments"), Map.entry("experiments", "experiments"),
            Map.entry("scan", "scans"), Map.entry("scans", "scans"),
            Map.entry("assessor", "assessors"), Map.entry("assessors", "assessors"),
            Map.entry("reconstruction", "reconstructions"), Map.entry("reconstructions", "reconstructions"),
            Map.entry("resource", "resources"), Map.entry("resources", "resources"),
            Map.entry("in_resource", "in_resources"), Map.entry("in_resources", "in_resources"),
            Map.entry("out_resource", "out_resources"), Map.entry("out_resources", "out_resources"),
            Map.entry("file", "files"), Map.entry("files", "files"));

    /**
     * The archive tree a {@code //} walks (pyxnat's {@code schema.resources_tree}): each level's children, without
     * the shortcuts ({@code /projects/P/experiments}, {@code /experiments}) so that each descendant is reached once.
     */
    private static final Map<String, List<String>> TREE = Map.of(
            "",
            List.of("projects"),
            "projects",
            List.of("resources", "subjects"),
            "subjects",
            List.of("resources", "experiments"),
            "experiments",
            List.of("resources", "scans", "assessors", "reconstructions"),
            "scans",
            List.of("resources"),
            "assessors",
            List.of("resources", "in_resources", "out_resources"),
            "reconstructions",
            List.of("resources", "in_resources", "out_resources"),
            "resources",
            List.of("files"),
            "in_resources",
            List.of("files"),
            "out_resources",
            List.of("files"));

    /** What may follow each level in a path: the tree, with the shortcuts to experiments from the root and a project. */
    private static final Map<String, List<String>> NEXT = withShortcuts();

    private static Map<String, List<String>> withShortcuts() {
        Map<String, List<String>> next = new java.util.HashMap<>(TREE);
        next.put("", List.of("projects", "experiments"));
        next.put("projects", List.of("subjects", "experiments", "resources"));
        return Map.copyOf(next);
    }

    private Select() {}

    record Step(String level, String pattern) {}

    /** The path's one expansion; a path with {@code //} has several: see {@link #parseAll}. */
    static List<Step> parse(String path) {
        List<List<Step>> all = parseAll(path);
        if (all.size() != 1) {
            throw new IllegalArgumentException("Path " + path + " expands to " + all.size() + " paths");
        }
        return all.get(0);
    }

    /**
     * The paths {@code path} names: one, or, where it has {@code //} before a level, one per way down the archive
     * tree to that level (every level between matching {@code *}), in tree order.
     */
    static List<List<Step>> parseAll(String path) {
        String p = path.strip();
        if (p.startsWith("/data/")) {
            p = p.substring(5);
        } else if (p.startsWith("/REST/")) {
            p = p.substring(5);
        }
        p = p.replace("/in/resources", "/in_resources").replace("/out/resources", "/out_resources");
        List<String> tokens = new ArrayList<>();
        List<Boolean> descend = new ArrayList<>();
        boolean gap = false;
        String[] parts = p.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String t = parts[i];
            if (t.isEmpty()) {
                // an empty segment between two others, or a path that starts with "//": a descendant step
                gap = i > 0 || (parts.length > 1 && parts[1].isEmpty());
                continue;
            }
            tokens.add(t);
            descend.add(gap);
            gap = false;
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("Empty path");
        }
        if (tokens.get(0).toLowerCase(Locale.ROOT).matches("tags?")) {
            throw new IllegalArgumentException("Invalid path " + path + ": XNAT has no tag store (pyxnat keeps its"
                    + " tags in files of a private project of its own); tags are on resources and files:"
                    + " Resource.tags(), FileEntry.tags()");
        }
        List<List<Step>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        for (int i = 0; i < tokens.size(); i++) {
            String level = LEVELS.get(tokens.get(i).toLowerCase(Locale.ROOT));
            String pattern = "*";
            int next = i;
            if (level != null && level.equals("files") && i + 1 < tokens.size()) {
                pattern = String.join("/", tokens.subList(i + 1, tokens.size()));
                next = tokens.size();
            } else if (i + 1 < tokens.size() && !descend.get(i + 1) && !follows(level, tokens.get(i + 1))) {
                // the next segment is this level's ID, even when it spells a level's name (a project called
                // PROJECT, a subject called Scan): only a level that may follow this one is read as a level
                pattern = tokens.get(++next);
            }
            List<List<Step>> grown = new ArrayList<>();
            for (List<Step> steps : out) {
                String previous =
                        steps.isEmpty() ? "" : steps.get(steps.size() - 1).level();
                if (descend.get(i)) {
                    if (level == null) {
                        throw invalid(path, tokens.get(i), previous, "a level after //");
                    }
                    for (List<String> way : ways(previous, level)) {
                        List<Step> copy = new ArrayList<>(steps);
                        for (String between : way.subList(0, way.size() - 1)) {
                            copy.add(new Step(between, "*"));
                        }
                        copy.add(new Step(level, pattern));
                        grown.add(copy);
                    }
                } else {
                    if (level == null || !NEXT.getOrDefault(previous, List.of()).contains(level)) {
                        throw invalid(path, tokens.get(i), previous, NEXT.getOrDefault(previous, List.of()));
                    }
                    List<Step> copy = new ArrayList<>(steps);
                    copy.add(new Step(level, pattern));
                    grown.add(copy);
                }
            }
            if (grown.isEmpty()) {
                throw invalid(path, tokens.get(i), "", "a level below the one before //");
            }
            out = grown;
            i = next;
        }
        return out;
    }

    /** Whether {@code token} names a level that may follow {@code level} in a path. */
    private static boolean follows(String level, String token) {
        String next = LEVELS.get(token.toLowerCase(Locale.ROOT));
        return next != null
                && level != null
                && NEXT.getOrDefault(level, List.of()).contains(next);
    }

    private static IllegalArgumentException invalid(String path, String token, String previous, Object expected) {
        return new IllegalArgumentException("Invalid path " + path + ": '" + token + "' cannot follow "
                + (previous.isEmpty() ? "the root" : previous) + " (expected one of " + expected + ")");
    }

    /** Every way down {@link #TREE} from {@code from} to {@code to}, each the levels after {@code from}. */
    private static List<List<String>> ways(String from, String to) {
        List<List<String>> out = new ArrayList<>();
        for (String child : TREE.getOrDefault(from, List.of())) {
            if (child.equals(to)) {
                out.add(List.of(child));
            } else {
                for (List<String> rest : ways(child, to)) {
                    List<String> way = new ArrayList<>();
                    way.add(child);
                    way.addAll(rest);
                    out.add(way);
                }
            }
        }
        return out;
    }

    static Flux<ArchiveRef> expand(XnatClient client, String path) {
        return Flux.fromIterable(parseAll(path)).concatMap(steps -> {
            Flux<ArchiveRef> current = Flux.just(new Root(client));
            for (Step s : steps) {
                current = current.concatMap(parent -> children(client, parent, s));
            }
            return current;
        });
    }

    /** Placeholder for the archive root while expanding. */
    private static final class Root extends ArchiveRef {
        Root(XnatClient client) {
            super(client, "/data", "/data", "");
        }
    }

    private static boolean wild(String p) {
        return p.indexOf('*') >= 0 || p.indexOf('?') >= 0;
    }

    static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }

    private static Flux<ArchiveRef> children(XnatClient client, ArchiveRef parent, Step s) {
        String p = s.pattern();
        boolean wild = wild(p);
        Pattern g = glob(p);
        return switch (s.level()) {
            case "projects" -> wild ? projects(client, parent, g) : Flux.just(client.project(p));
            case "subjects" -> {
                ProjectRef pr = (ProjectRef) parent;
                yield wild
                        ? pr.subjects()
                                .filter(x -> g.matcher(x.label()).matches()
                                        || g.matcher(x.id()).matches())
                                .map(x -> named(pr, "subject", x.label(), pr::subject))
                        : Flux.just(pr.subject(p));
            }
            case "experiments" -> experiments(client, parent, p, wild, g);
            case "scans" -> {
                ExperimentRef e = (ExperimentRef) parent;
                yield wild
                        ? e.scans().filter(x -> g.matcher(x.id()).matches()).map(x -> named(e, "scan", x.id(), e::scan))
                        : Flux.just(e.scan(p));
            }
            case "assessors" -> {
                ExperimentRef e = (ExperimentRef) parent;
                yield wild
                        ? e.assessors()
                                .filter(x -> g.matcher(x.label()).matches()
                                        || g.matcher(x.id()).matches())
                                .map(x -> named(e, "assessor", x.label(), e::assessor))
                        : Flux.just(e.assessor(p));
            }
            case "reconstructions" -> {
                ExperimentRef e = (ExperimentRef) parent;
                yield wild
                        ? e.reconstructions()
                                .filter(x -> g.matcher(x.id()).matches())
                                .map(x -> named(e, "reconstruction", x.id(), e::reconstruction))
                        : Flux.just(e.reconstruction(p));
            }
            case "resources", "in_resources", "out_resources" -> resources(parent, s.level(), p, wild, g);
            case "files" -> {
                ResourceRef r = (ResourceRef) parent;
                yield wild
                        ? r.files()
                                .filter(x -> g.matcher(x.path()).matches())
                                .map(x -> named(r, "file", x.path(), r::file))
                        : Flux.just(r.file(p));
            }
            default -> Flux.error(new IllegalArgumentException("Unknown level " + s.level()));
        };
    }

    private static Flux<ArchiveRef> experiments(
            XnatClient client, ArchiveRef parent, String p, boolean wild, Pattern g) {
        if (parent instanceof SubjectRef sr) {
            return wild
                    ? sr.experiments()
                            .filter(x -> g.matcher(x.label()).matches()
                                    || g.matcher(x.id()).matches())
                            .map(x -> named(sr, "experiment", x.label(), sr::experiment))
                    : Flux.just(sr.experiment(p));
        }
        if (parent instanceof ProjectRef pr) {
            return wild
                    ? pr.experiments()
                            .filter(x -> g.matcher(x.label()).matches()
                                    || g.matcher(x.id()).matches())
                            .map(x -> named(pr, "experiment", x.label(), pr::experiment))
                    : Flux.just(pr.experiment(p));
        }
        return wild
                ? client.experiments()
                        .filter(x -> g.matcher(x.id()).matches()
                                || g.matcher(x.label()).matches())
                        .map(x -> named(parent, "experiment", x.id(), client::experiment))
                : Flux.just(client.experiment(p));
    }

    /**
     * The ref of a child the server listed. A name that cannot be part of a URL ({@code ..}, {@code .}, empty) is
     * the server's fault, not the caller's: an {@link XnatProtocolException} naming the parent.
     */
    private static <R> R named(
            ArchiveRef parent, String what, String name, java.util.function.Function<String, R> ref) {
        try {
            return ref.apply(name);
        } catch (IllegalArgumentException e) {
            throw new XnatProtocolException("The server listed a " + what + " named '" + name + "' under "
                    + parent.path() + ", which cannot be used in a URL: " + e.getMessage());
        }
    }

    private static Flux<ArchiveRef> resources(ArchiveRef parent, String level, String p, boolean wild, Pattern g) {
        String direction = level.equals("in_resources") ? "in" : level.equals("out_resources") ? "out" : null;
        Flux<Resource> listing;
        if (parent instanceof DerivedRef d) {
            listing = direction == null ? d.resources() : direction.equals("in") ? d.inResources() : d.outResources();
        } else if (parent instanceof ProjectRef pr) {
            listing = pr.resources();
        } else if (parent instanceof SubjectRef sr) {
            listing = sr.resources();
        } else if (parent instanceof ExperimentRef er) {
            listing = er.resources();
        } else {
            listing = ((ScanRef) parent).resources();
        }
        if (!wild) {
            return Flux.just(new ResourceRef(parent, direction, p));
        }
        return listing.filter(
                        x -> g.matcher(x.label()).matches() || g.matcher(x.id()).matches())
                .map(x -> named(
                        parent,
                        "resource",
                        x.label().isEmpty() ? x.id() : x.label(),
                        l -> new ResourceRef(parent, direction, l)));
    }

    /**
     * The projects whose ID or one of whose aliases the glob matches, each once, by ID: XNAT lists a project once
     * per alias with {@code columns=ID,alias}.
     */
    private static Flux<ArchiveRef> projects(XnatClient client, ArchiveRef parent, Pattern g) {
        return client.projects(ListOptions.of().columns("ID", "alias"))
                .filter(x -> g.matcher(x.id()).matches()
                        || g.matcher(x.column("alias")).matches())
                .map(Project::id)
                .distinct()
                .map(id -> named(parent, "project", id, client::project));
    }
}
