package io.github.xnatreactive.bulk.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Javadoc examples honest: every {@code <pre>{@code ...}</pre>} block in the API packages of core, bulk,
 * testkit and dicom (those their module-info exports; not {@code internal}) must be, whitespace aside, one of the
 * "// doc:" regions of ApiExamplesTest, which compile and run against the testkit. An example that drifts from the
 * code therefore fails this test, or fails to compile, or fails when it runs.
 */
class JavadocExamplesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> MODULES =
            List.of("xnat-reactive-core", "xnat-reactive-bulk", "xnat-reactive-testkit", "xnat-reactive-dicom");
    static final Path EXAMPLES =
            ROOT.resolve("xnat-reactive-bulk/src/test/java/io/github/xnatreactive/bulk/docs/ApiExamplesTest.java");
    /**
     * The Kafka module (no module-info: its API is its one package) runs its own examples: it depends on bulk, so
     * they cannot live in ApiExamplesTest.
     */
    static final String KAFKA_PACKAGE = "io/github/xnatreactive/kafka";

    static final Path KAFKA_EXAMPLES =
            ROOT.resolve("xnat-reactive-kafka/src/test/java/io/github/xnatreactive/kafka/KafkaApiExamplesTest.java");

    /** The regions of both example tests. */
    static Map<String, String> allRegions() throws IOException {
        Map<String, String> all = new LinkedHashMap<>(regions(Files.readString(EXAMPLES)));
        regions(Files.readString(KAFKA_EXAMPLES)).forEach((k, v) -> all.put("kafka." + k, v));
        return all;
    }

    /** The public entry points, each of which must carry an example in its own type's Javadoc. */
    static final List<String> ENTRY_POINTS = List.of(
            "core.XnatClient",
            "core.XnatClient.Builder",
            "core.Credentials",
            "core.RetryPolicy",
            "core.ListOptions",
            "core.UploadOptions",
            "core.ArchiveRef",
            "core.ProjectRef",
            "core.SubjectRef",
            "core.ExperimentRef",
            "core.ScanRef",
            "core.AssessorRef",
            "core.ReconstructionRef",
            "core.ResourceRef",
            "core.FileRef",
            "bulk.BulkClient",
            "bulk.TransferOptions",
            "bulk.Selection",
            "bulk.Transfer",
            "testkit.XnatTestServer",
            "testkit.XnatTestServer.Builder",
            "testkit.XnatTestServerExtension",
            "testkit.FaultSpec",
            "testkit.SeedSpec");

    private static final Pattern DOC_COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile("// doc:(\\w+)\\n(.*?)\\n\\s*// end", Pattern.DOTALL);

    @Test
    void everyJavadocExampleIsATestedExample() throws IOException {
        Map<String, String> regions = allRegions();
        List<Example> examples = examples();
        assertThat(examples).as("examples found in the API sources").hasSizeGreaterThan(ENTRY_POINTS.size());
        List<String> untested = new ArrayList<>();
        for (Example e : examples) {
            if (!regions.containsValue(normalize(e.code()))) {
                untested.add(e.file() + ":\n" + e.code());
            }
        }
        assertThat(untested)
                .as("Javadoc examples that are not a region of ApiExamplesTest (copy the tested text, or fix the test)")
                .isEmpty();
    }

    @Test
    void everyRegionOfTheExamplesTestIsAJavadocExample() throws IOException {
        Map<String, String> regions = allRegions();
        List<String> documented =
                examples().stream().map(e -> normalize(e.code())).toList();
        assertThat(regions).as("regions of ApiExamplesTest").hasSizeGreaterThan(ENTRY_POINTS.size());
        regions.forEach((name, code) -> assertThat(documented)
                .as("region doc:" + name + " is shown in some Javadoc")
                .contains(code));
    }

    @Test
    void everyEntryPointHasAnExample() throws IOException {
        for (String entry : ENTRY_POINTS) {
            String[] parts = entry.split("\\.");
            Path file = source(parts[0], parts[1]);
            String doc = typeDoc(Files.readString(file), parts[parts.length - 1]);
            assertThat(extract(doc)).as("examples in the Javadoc of " + entry).isNotEmpty();
        }
    }

    @Test
    void theExtractorKeepsNestedBracesAndFindsDrift() {
        String doc = "/**\n * Text.\n *\n * <pre>{@code\n * if (a) {\n *     b(\"{}\");\n * }\n * }</pre>\n */";
        assertThat(extract(strip(doc))).containsExactly("if (a) {\n    b(\"{}\");\n}\n");
        assertThatThrownBy(() -> extract(" <pre>{@code a { b }"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("unbalanced");

        Map<String, String> regions = regions("    // doc:x\n    Foo f = Foo.of(1)\n            .bar();\n    // end\n");
        assertThat(regions).containsEntry("x", normalize("Foo f = Foo.of(1).bar();"));
        assertThat(regions).doesNotContainValue(normalize("Foo f = Foo.of(2).bar();"));
    }

    // ------------------------------------------------------------------ extraction

    record Example(Path file, String code) {}

    /** Every example of the exported packages of the modules, and of the Kafka module's package. */
    static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        for (String module : MODULES) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            for (String pkg : exports(Files.readString(src.resolve("module-info.java")))) {
                examplesIn(src.resolve(pkg.replace('.', '/')), out);
            }
        }
        examplesIn(ROOT.resolve("xnat-reactive-kafka/src/main/java").resolve(KAFKA_PACKAGE), out);
        return out;
    }

    private static void examplesIn(Path dir, List<Example> out) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = DOC_COMMENT.matcher(Files.readString(f));
                while (m.find()) {
                    for (String code : extract(strip(m.group(1)))) {
                        out.add(new Example(ROOT.relativize(f), code));
                    }
                }
            }
        }
    }

    static List<String> exports(String moduleInfo) {
        List<String> pkgs = new ArrayList<>();
        Matcher m = Pattern.compile("exports\\s+([\\w.]+)\\s*;").matcher(moduleInfo);
        while (m.find()) {
            pkgs.add(m.group(1));
        }
        assertThat(pkgs).as("exported packages").isNotEmpty().noneMatch(p -> p.contains("internal"));
        return pkgs;
    }

    /** The comment's text without the leading {@code " * "} of each line. */
    static String strip(String comment) {
        return comment.lines().map(l -> l.replaceFirst("^\\s*\\* ?", "")).reduce("", (a, b) -> a + b + "\n");
    }

    /** The code of each {@code <pre>{@code ...}</pre>} block, braces inside it balanced as {@code {@code}} needs. */
    static List<String> extract(String doc) {
        List<String> out = new ArrayList<>();
        String open = "<pre>{@code";
        int i = doc.indexOf(open);
        while (i >= 0) {
            int start = i + open.length();
            int depth = 1;
            int j = start;
            for (; j < doc.length() && depth > 0; j++) {
                char c = doc.charAt(j);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                }
            }
            if (depth > 0) {
                throw new AssertionError("unbalanced braces in the example at: " + doc.substring(i));
            }
            String code = doc.substring(start, j - 1);
            if (!doc.startsWith("</pre>", j)) {
                throw new AssertionError("an example must end with }</pre>: " + code);
            }
            out.add(code.startsWith("\n") ? code.substring(1) : code);
            i = doc.indexOf(open, j);
        }
        return out;
    }

    /** The Javadoc of a type declared in {@code source} (nested types too), without its {@code " * "} prefixes. */
    static String typeDoc(String source, String type) {
        Matcher decl = Pattern.compile("(?m)^[ \\t]*public[\\w ]*\\s(class|record|interface)\\s+" + type + "\\b")
                .matcher(source);
        assertThat(decl.find()).as("declaration of " + type).isTrue();
        String before = source.substring(0, decl.start());
        int end = before.lastIndexOf("*/");
        int begin = before.lastIndexOf("/**");
        assertThat(begin).as("Javadoc of " + type).isNotNegative().isLessThan(end);
        String between = before.substring(end + 2);
        assertThat(between.replaceAll("@\\w+(\\([^)]*\\))?", "").strip())
                .as("nothing but annotations between the Javadoc of " + type + " and its declaration")
                .isEmpty();
        return strip(before.substring(begin + 3, end));
    }

    static Path source(String module, String type) {
        return ROOT.resolve(
                "xnat-reactive-" + module + "/src/main/java/io/github/xnatreactive/" + module + "/" + type + ".java");
    }

    /** Name to normalized code of every "// doc:NAME ... // end" region. */
    static Map<String, String> regions(String examples) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher r = REGION.matcher(examples);
        while (r.find()) {
            assertThat(out.put(r.group(1), normalize(r.group(2))))
                    .as("region name doc:" + r.group(1) + " is used once")
                    .isNull();
        }
        return out;
    }

    /**
     * Whitespace does not count: runs of it become one space, and none is kept next to punctuation, so that the
     * formatter may break and indent lines differently than the Javadoc does.
     */
    static String normalize(String s) {
        return s.replaceAll("\\s+", " ").replaceAll(" ?([^\\w\\s]) ?", "$1").strip();
    }
}
