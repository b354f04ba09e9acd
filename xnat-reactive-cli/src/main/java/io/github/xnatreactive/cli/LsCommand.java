package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.DerivedRef;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.ScanRef;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "List what a pyxnat-style path names: /projects, /projects/P/subjects, "
                    + "/projects/P/subjects/*/experiments, .../experiments/E/scans, .../scans/1/resources/DICOM/files.",
            "Levels may be singular or plural; * and ? match IDs and labels."
        })
final class LsCommand implements Callable<Integer> {
    private static final List<String> LEVELS = List.of(
            "projects",
            "subjects",
            "experiments",
            "scans",
            "assessors",
            "reconstructions",
            "resources",
            "in_resources",
            "out_resources",
            "files");

    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "PATH", description = "what to list, e.g. /projects/P1/subjects")
    String path;

    @Mixin
    RowPrinter.Format format = new RowPrinter.Format();

    LsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String p = path.strip()
                .replaceFirst("^/(data|REST)(?=/)", "")
                .replace("/in/resources", "/in_resources")
                .replace("/out/resources", "/out_resources");
        List<String> tokens = new ArrayList<>();
        for (String t : p.split("/")) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        if (tokens.isEmpty()) {
            throw new Cli.UsageException("empty path");
        }
        // Split into the parent path, the level to list and an optional ID pattern.
        String pattern = "*";
        String level = level(tokens.get(tokens.size() - 1));
        int levelIndex = tokens.size() - 1;
        if (level == null) {
            level = tokens.size() >= 2 ? level(tokens.get(tokens.size() - 2)) : null;
            levelIndex = tokens.size() - 2;
            pattern = tokens.get(tokens.size() - 1);
            if ("files".equals(level)) {
                pattern = tokens.get(tokens.size() - 1);
            }
        }
        int filesAt = tokens.indexOf("files");
        if (filesAt >= 0 && filesAt < tokens.size() - 1) {
            level = "files";
            levelIndex = filesAt;
            pattern = String.join("/", tokens.subList(filesAt + 1, tokens.size()));
        }
        if (level == null) {
            throw new Cli.UsageException("not an archive path: " + path);
        }
        String parent = "/" + String.join("/", tokens.subList(0, levelIndex));
        Pattern glob = glob(pattern);
        // several parents (a wildcard above the listed level): each row says which one it belongs to
        // (subjects, experiments and assessors carry their own accession IDs; scans, resources and files do not)
        boolean showParent = (parent.contains("*") || parent.contains("?"))
                && !List.of("projects", "subjects", "experiments", "assessors").contains(level);
        try (XnatClient xnat = conn.client(cli, 4)) {
            Flux<Object> parents = levelIndex == 0
                    ? Flux.just(new RootMarker(xnat))
                    : xnat.select(parent).cast(Object.class);
            String lv = level;
            Flux<Map<String, String>> rows = parents.concatMap(
                            r -> rows(xnat, r, lv).map(row -> showParent ? withParent(r, row) : row))
                    .filter(row -> glob.matcher(row.getOrDefault("_id", "")).matches()
                            || glob.matcher(row.getOrDefault("_label", "")).matches());
            // rows are printed here, on the calling thread, as they arrive: a listing of any length in bounded
            // memory (the iterable requests a few rows ahead). They reach the iterable from a worker, never from
            // an event loop: handing a row over takes the iterable's lock, which its reader may hold for a moment
            RowPrinter printer = new RowPrinter(cli.out, format);
            for (Map<String, String> row :
                    rows.publishOn(Schedulers.boundedElastic(), PREFETCH).toIterable(PREFETCH)) {
                Map<String, String> visible = new LinkedHashMap<>(row);
                visible.remove("_id");
                visible.remove("_label");
                printer.row(visible);
            }
            printer.finish();
            return Cli.OK;
        }
    }

    /** Rows requested ahead of printing. */
    private static final int PREFETCH = 256;

    private static Map<String, String> withParent(Object parent, Map<String, String> row) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("_id", row.get("_id"));
        m.put("_label", row.get("_label"));
        String p = parent instanceof io.github.xnatreactive.core.ArchiveRef a
                ? java.net.URLDecoder.decode(
                        a.path().replaceFirst("^/data", ""), java.nio.charset.StandardCharsets.UTF_8)
                : "/";
        m.put("parent", p);
        m.putAll(row);
        return m;
    }

    /** Stands for the archive root when listing projects or global experiments. */
    private static final class RootMarker {
        final XnatClient xnat;

        RootMarker(XnatClient xnat) {
            this.xnat = xnat;
        }
    }

    private static String level(String token) {
        String t = token.toLowerCase(Locale.ROOT);
        for (String l : LEVELS) {
            if (l.equals(t) || l.equals(t + "s")) {
                return l;
            }
        }
        return null;
    }

    static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            b.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(b.toString());
    }

    private static Map<String, String> row(String id, String label, Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("_id", id);
        m.put("_label", label);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], String.valueOf(kv[i + 1]));
        }
        return m;
    }

    private static Flux<Map<String, String>> rows(XnatClient xnat, Object parent, String level) {
        switch (level) {
            case "projects":
                return xnat.projects()
                        .map(x ->
                                row(x.id(), x.name(), "ID", x.id(), "name", x.name(), "description", x.description()));
            case "subjects":
                return ((ProjectRef) parent)
                        .subjects()
                        .map(x -> row(x.id(), x.label(), "ID", x.id(), "label", x.label(), "project", x.project()));
            case "experiments": {
                Flux<io.github.xnatreactive.core.Experiment> f = parent instanceof SubjectRef s
                        ? s.experiments()
                        : parent instanceof ProjectRef pr ? pr.experiments() : xnat.experiments();
                return f.map(x -> row(
                        x.id(),
                        x.label(),
                        "ID",
                        x.id(),
                        "label",
                        x.label(),
                        "xsiType",
                        x.xsiType(),
                        "date",
                        x.date(),
                        "project",
                        x.project()));
            }
            case "scans":
                return ((ExperimentRef) parent)
                        .scans()
                        .map(x -> row(
                                x.id(),
                                x.id(),
                                "ID",
                                x.id(),
                                "type",
                                x.type(),
                                "quality",
                                x.quality(),
                                "xsiType",
                                x.xsiType(),
                                "series_description",
                                x.seriesDescription()));
            case "assessors":
                return ((ExperimentRef) parent)
                        .assessors()
                        .map(x -> row(x.id(), x.label(), "ID", x.id(), "label", x.label(), "xsiType", x.xsiType()));
            case "reconstructions":
                return ((ExperimentRef) parent)
                        .reconstructions()
                        .map(x -> row(x.id(), x.id(), "ID", x.id(), "type", x.type()));
            case "resources":
            case "in_resources":
            case "out_resources": {
                Flux<io.github.xnatreactive.core.Resource> f = resources(parent, level);
                return f.map(x -> row(
                        x.label(),
                        x.label(),
                        "label",
                        x.label(),
                        "format",
                        x.format(),
                        "content",
                        x.content(),
                        "files",
                        x.fileCount(),
                        "bytes",
                        x.fileSize()));
            }
            case "files":
                return ((ResourceRef) parent)
                        .files()
                        .map(x -> row(
                                x.path(),
                                x.name(),
                                "path",
                                x.path(),
                                "size",
                                x.size(),
                                "digest",
                                x.digest(),
                                "format",
                                x.format(),
                                "content",
                                x.content()));
            default:
                return Flux.error(new Cli.UsageException("cannot list " + level));
        }
    }

    private static Flux<io.github.xnatreactive.core.Resource> resources(Object parent, String level) {
        if (parent instanceof DerivedRef d) {
            return level.equals("in_resources")
                    ? d.inResources()
                    : level.equals("out_resources") ? d.outResources() : d.resources();
        }
        if (parent instanceof ScanRef s) {
            return s.resources();
        }
        if (parent instanceof ExperimentRef e) {
            return e.resources();
        }
        if (parent instanceof SubjectRef s) {
            return s.resources();
        }
        if (parent instanceof ProjectRef p) {
            return p.resources();
        }
        return Flux.error(new Cli.UsageException(
                "resources need a project, subject, experiment, scan, assessor or" + " reconstruction"));
    }
}
