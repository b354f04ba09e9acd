package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.PrearchiveSession;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.dicom.DicomFormatException;
import io.github.xnatreactive.dicom.DicomHeader;
import io.github.xnatreactive.dicom.DicomReader;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.github.xnatreactive.testkit.internal.DicomWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code import} and {@code prearchive}, run in-process against a testkit server. */
class IngestCliTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("SEED:2x1x2x3x2K")));

    static XnatClient c;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
        for (String p : List.of("CLI1", "CLI2", "CLI3", "CLI4")) {
            c.project(p).create().block();
        }
    }

    @AfterAll
    static void close() {
        c.close();
    }

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(Map.of(
                "XNAT_HOST", xnat.server().baseUrl(),
                "XNAT_USER", "admin",
                "XNAT_PASS", "admin"));
        Cli cli = new Cli(
                env,
                tmp.resolve("home"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                p -> null,
                false);
        int code = cli.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The seeded sessions' DICOM files, downloaded as they are (real Part 10 files), plus a new study. */
    Path seededTree() throws IOException {
        Path tree = tmp.resolve("tree");
        Run got = run(
                "download",
                "--project",
                "SEED",
                "--dest",
                tree.resolve("seeded").toString(),
                "-q");
        assertThat(got.code()).as(got.err()).isZero();
        SplittableRandom random = new SplittableRandom(7);
        Path fresh = Files.createDirectories(tree.resolve("fresh"));
        for (int i = 1; i <= 4; i++) {
            DicomWriter.write(
                    fresh.resolve("IM" + i + ".dcm"),
                    1200,
                    new DicomWriter.Instance("NEW", "NEW_MR1", "1.2.60.1", "20240506", "x", "1.2.60.1.1", 1, "T1", i),
                    random,
                    new byte[1200]);
        }
        Files.writeString(tree.resolve("notes.txt"), "not DICOM");
        return tree;
    }

    static long count(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(suffix))
                    .count();
        }
    }

    @Test
    void importsATreeIntoThePrearchiveAndTheCommandsManageIt() throws IOException {
        Path tree = seededTree();
        long dicom = count(tree, ".dcm");
        long all = count(tree, ""); // with the download's xnat-session.json files and notes.txt
        assertThat(dicom).isEqualTo(2 * 2 * 3 + 4);
        assertThat(all).isEqualTo(dicom + 3);

        Run dry = run("import", tree.toString(), "--project", "CLI1", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("to import in 3 studies").contains("(dry run: nothing sent)");
        assertThat(c.prearchive().sessions("CLI1").count().block()).isZero();

        Run r = run("import", tree.toString(), "--project", "CLI1", "--concurrency", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("rejected notes.txt: not DICOM");
        assertThat(r.out()).contains(all + " files: " + dicom + " imported in 3 studies, 0 failed");
        assertThat(r.err()).contains("xnat-session.json: not DICOM");
        List<PrearchiveSession> sessions =
                c.prearchive().sessions("CLI1").collectList().block();
        assertThat(sessions)
                .extracting(PrearchiveSession::name)
                .containsExactlyInAnyOrder("SEED_S001_MR1", "SEED_S002_MR1", "NEW_MR1");

        Run ls = run("prearchive", "ls", "--project", "CLI1", "--status", "READY");
        assertThat(ls.code()).as(ls.err()).isZero();
        assertThat(ls.out()).contains("SEED_S001_MR1").contains("NEW_MR1");
        String uri = ls.out()
                .lines()
                .filter(l -> l.contains("NEW_MR1"))
                .map(l -> l.substring(l.indexOf("/data/prearchive/")))
                .findFirst()
                .orElseThrow();

        Run show = run("prearchive", "show", uri);
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("subject:  NEW").contains("scan 1: T1 (4 files)");

        Run moved = run("prearchive", "move", uri, "--to", "CLI2");
        assertThat(moved.code()).as(moved.err()).isZero();
        String newUri = moved.out().strip();
        assertThat(newUri).startsWith("/data/prearchive/projects/CLI2/");
        Run rebuilt = run("prearchive", "rebuild", newUri);
        assertThat(rebuilt.out()).contains("READY");
        Run archived = run("prearchive", "archive", newUri);
        assertThat(archived.code()).as(archived.err()).isZero();
        assertThat(archived.out().strip()).isEqualTo("/data/archive/projects/CLI2/subjects/NEW/experiments/NEW_MR1");
        assertThat(c.project("CLI2")
                        .subject("NEW")
                        .experiment("NEW_MR1")
                        .scans()
                        .count()
                        .block())
                .isEqualTo(1);

        String seeded = "/data"
                + sessions.stream()
                        .filter(s -> s.name().equals("SEED_S001_MR1"))
                        .findFirst()
                        .orElseThrow()
                        .url();
        Run deleted = run("prearchive", "delete", seeded);
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(c.prearchive().sessions("CLI1").count().block()).isEqualTo(1);
        assertThat(run("prearchive", "show", seeded).code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(run("prearchive", "show", "nonsense").code()).isEqualTo(Cli.USAGE);
    }

    @Test
    void importsStraightIntoTheArchiveAndAConflictIsAFailedStudy() throws IOException {
        Path tree = seededTree();
        Run r = run("import", tree.toString(), "--project", "CLI3", "--dest", "archive", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(c.project("CLI3").experiments().count().block()).isEqualTo(3);
        Run again = run("import", tree.resolve("fresh").toString(), "--project", "CLI3", "--dest", "archive");
        assertThat(again.code()).isEqualTo(Cli.FAILED_ITEMS);
        assertThat(again.err())
                .contains("FAILED study 1.2.60.1")
                .contains("already exists")
                .contains("not imported: IM1.dcm");
        assertThat(run("import", tree.toString(), "--project", "CLI3", "--dest", "elsewhere")
                        .code())
                .isEqualTo(Cli.USAGE);
        assertThat(run("import", tree.resolve("missing").toString(), "--project", "CLI3")
                        .code())
                .isEqualTo(Cli.USAGE);
        assertThat(run("import", tree.toString(), "--project", "NO_SUCH").code())
                .isEqualTo(Cli.FAILED_ITEMS);
    }

    /** pydicom's own test files (Debian python3-pydicom), when installed: one session per study they hold. */
    @Test
    void importsPydicomsCorpus() throws Exception {
        Process p = new ProcessBuilder(
                        "/usr/bin/python3", "-c", "import pydicom, os; print(os.path.dirname(pydicom.__file__))")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean found = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        if (!found && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("pydicom is not installed (CI=true: .ci/run installs python3-pydicom)");
        }
        Assumptions.assumeTrue(found, "pydicom is not installed: test skipped");
        Path tree = Files.createDirectories(tmp.resolve("corpus"));
        Set<String> studies = new TreeSet<>();
        int importable = 0;
        for (String name : List.of(
                "CT_small.dcm",
                "MR_small.dcm",
                "MR_small_bigendian.dcm",
                "ExplVR_BigEnd.dcm",
                "rtplan.dcm",
                "JPEG2000.dcm",
                "image_dfl.dcm",
                "rtplan_truncated.dcm",
                "README.txt")) {
            Path from = Path.of(dir, "data", "test_files", name);
            Path to = tree.resolve(name);
            Files.copy(from, to);
            try {
                DicomHeader h = DicomReader.read(to);
                String sop = h.string(DicomHeader.SOP_INSTANCE_UID);
                String study = h.string(DicomHeader.STUDY_INSTANCE_UID);
                if (study != null && sop != null && h.string(DicomHeader.SOP_CLASS_UID) != null) {
                    studies.add(study);
                    importable++;
                }
            } catch (DicomFormatException e) {
                // set aside by the import as well
            }
        }
        Run r = run("import", tree.toString(), "--project", "CLI4");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("9 files: " + importable + " imported in " + studies.size() + " studies");
        assertThat(r.err()).contains("rejected README.txt").contains("rejected rtplan_truncated.dcm");
        assertThat(c.prearchive()
                        .sessions("CLI4")
                        .map(PrearchiveSession::studyInstanceUid)
                        .collectList()
                        .block())
                .containsExactlyInAnyOrderElementsOf(studies);
    }
}
