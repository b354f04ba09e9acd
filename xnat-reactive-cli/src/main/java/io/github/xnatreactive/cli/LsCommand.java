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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;
import tools.jackson.databind.ObjectMapper;

@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "List what a pyxnat-style path names: /projects, /projects/P/subjects,",
            "/projects/P/subjects/*/experiments, .../experiments/E/scans, .../scans/1/resources/DICOM/files.",
            "Levels may be singular or plural; * and ? match IDs and labels."
        })
final class LsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    @Option(names = "--csv", description = "comma-separated values with a header line")
    boolean csv;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

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
        try (XnatClient xnat = conn.client(cli, 4)) {
            Flux<Object> parents = levelIndex == 0
                    ? Flux.just(new RootMarker(xnat))
                    : xnat.select(parent).cast(Object.class);
            String lv = level;
            List<Map<String, String>> rows = parents.concatMap(r -> rows(xnat, r, lv))
                    .filter(row -> glob.matcher(row.getOrDefault("_id", "")).matches()
                            || glob.matcher(row.getOrDefault("_label", "")).matches())
                    .collectList()
                    .block();
            print(rows);
            return Cli.OK;
        }
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

    void print(List<Map<String, String>> rows) {
        if (json) {
            for (Map<String, String> r : rows) {
                Map<String, String> visible = new LinkedHashMap<>(r);
                visible.remove("_id");
                visible.remove("_label");
                cli.out.println(JSON.writeValueAsString(visible));
            }
            return;
        }
        if (rows.isEmpty()) {
            return;
        }
        List<String> cols = new ArrayList<>(rows.get(0).keySet());
        cols.remove("_id");
        cols.remove("_label");
        if (csv) {
            cli.out.println(String.join(",", cols));
            for (Map<String, String> r : rows) {
                List<String> cells = new ArrayList<>();
                for (String c : cols) {
                    String v = r.getOrDefault(c, "");
                    cells.add(
                            v.contains(",") || v.contains("\"") || v.contains("\n")
                                    ? "\"" + v.replace("\"", "\"\"") + "\""
                                    : v);
                }
                cli.out.println(String.join(",", cells));
            }
            return;
        }
        int[] w = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            w[i] = cols.get(i).length();
            for (Map<String, String> r : rows) {
                w[i] = Math.max(w[i], r.getOrDefault(cols.get(i), "").length());
            }
        }
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            h.append(String.format("%-" + (w[i] + 2) + "s", cols.get(i)));
        }
        cli.out.println(h.toString().stripTrailing());
        for (Map<String, String> r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols.size(); i++) {
                b.append(String.format("%-" + (w[i] + 2) + "s", r.getOrDefault(cols.get(i), "")));
            }
            cli.out.println(b.toString().stripTrailing());
        }
    }
}
