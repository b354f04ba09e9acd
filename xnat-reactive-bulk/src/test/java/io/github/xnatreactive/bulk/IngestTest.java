package io.github.xnatreactive.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.ImportOptions;
import io.github.xnatreactive.core.PrearchiveSession;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatServerException;
import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.github.xnatreactive.testkit.internal.DicomWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Ingest of a directory tree: grouped by study on the client, one import per study, every file accounted for. */
class IngestTest {
    /** The import that fails with a 500, counted from 1; 0 for none. */
    static final AtomicInteger FAIL_IMPORT = new AtomicInteger();

    static final AtomicInteger IMPORTS = new AtomicInteger();

    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").route("POST", "/data/services/import", req -> {
                int n = IMPORTS.incrementAndGet();
                return n == FAIL_IMPORT.get()
                        ? RouteResponse.error(500, "injected failure of import " + n)
                        : RouteResponse.proceed();
            }));

    static XnatClient c;

    @TempDir
    Path tree;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
        for (String p : List.of("ING1", "ING2", "ING3")) {
            c.project(p).create().block();
        }
    }

    @AfterAll
    static void close() {
        c.close();
    }

    /** A study of {@code series} x {@code instances} files under {@code dir}. */
    static void study(Path dir, String patient, String uid, int series, int instances) throws IOException {
        SplittableRandom random = new SplittableRandom(uid.hashCode());
        for (int s = 1; s <= series; s++) {
            Path d = Files.createDirectories(dir.resolve("s" + s));
            for (int i = 1; i <= instances; i++) {
                DicomWriter.write(
                        d.resolve("IM" + i + ".dcm"),
                        1500,
                        new DicomWriter.Instance(
                                patient, patient + "_MR1", uid, "20240405", "x", uid + "." + s, s, "S" + s, i),
                        random,
                        new byte[1500]);
            }
        }
    }

    /** Three studies (12 files), a text file and a truncated DICOM file. */
    void tree() throws IOException {
        study(tree.resolve("a"), "Ann", "1.2.50.1", 2, 3);
        study(tree.resolve("b"), "Ben", "1.2.50.2", 1, 4);
        study(tree.resolve("c/deeper"), "Cid", "1.2.50.3", 2, 1);
        Files.writeString(tree.resolve("README.txt"), "not DICOM");
        byte[] whole = Files.readAllBytes(tree.resolve("a/s1/IM1.dcm"));
        Files.write(tree.resolve("b/cut.dcm"), Arrays.copyOf(whole, 250));
    }

    @Test
    void everyFileIsImportedOrNamedAsRejectedAndEachStudyIsOneSession() throws IOException {
        tree();
        IngestReport r = BulkClient.of(c)
                .ingest(tree, ImportOptions.toPrearchive("ING1"))
                .concurrency(2)
                .run()
                .block();
        assertThat(r.ok()).isTrue();
        assertThat(r.filesTotal()).isEqualTo(14);
        assertThat(r.filesImported()).isEqualTo(12);
        assertThat(r.rejected())
                .extracting(x -> tree.relativize(x.file()).toString())
                .containsExactly("README.txt", "b/cut.dcm");
        assertThat(r.rejected()).allMatch(x -> x.reason().startsWith("not DICOM"));
        assertThat(r.rejected().get(1).reason()).contains("truncated");
        assertThat(r.studies())
                .extracting(IngestReport.Study::studyInstanceUid)
                .containsExactly("1.2.50.1", "1.2.50.2", "1.2.50.3");
        assertThat(r.studies()).allMatch(s -> s.uris().size() == 1 && s.attempts() == 1);
        List<PrearchiveSession> sessions =
                c.prearchive().sessions("ING1").collectList().block();
        assertThat(sessions)
                .extracting(PrearchiveSession::name)
                .containsExactlyInAnyOrder("Ann_MR1", "Ben_MR1", "Cid_MR1");
        assertThat(c.prearchive()
                        .session(r.studies().get(0).uris().get(0))
                        .resource("2")
                        .files()
                        .count()
                        .block())
                .isEqualTo(3);
    }

    @Test
    void aDryRunReadsAndGroupsButSendsNothing() throws IOException {
        tree();
        int before = IMPORTS.get();
        IngestReport r = BulkClient.of(c)
                .ingest(tree, ImportOptions.toArchive("ING2"))
                .plan()
                .block();
        assertThat(r.dryRun()).isTrue();
        assertThat(r.studies()).hasSize(3).allMatch(s -> s.uris().isEmpty() && s.attempts() == 0);
        assertThat(r.studies().get(0).bytes()).isEqualTo(6 * 1500);
        assertThat(r.rejected()).hasSize(2);
        assertThat(IMPORTS.get()).isEqualTo(before);
        assertThat(c.project("ING2").experiments().count().block()).isZero();
    }

    @Test
    void aServerErrorIsRetriedForThePrearchiveAndNamedInTheReportForTheArchive() throws IOException {
        tree();
        FAIL_IMPORT.set(IMPORTS.get() + 2);
        IngestReport toPrearchive = BulkClient.of(c)
                .ingest(tree, ImportOptions.toPrearchive("ING3"))
                .concurrency(1)
                .run()
                .block();
        assertThat(toPrearchive.ok()).isTrue();
        assertThat(toPrearchive.studies())
                .extracting(IngestReport.Study::attempts)
                .containsExactly(1, 2, 1);

        FAIL_IMPORT.set(IMPORTS.get() + 2);
        IngestReport toArchive = BulkClient.of(c)
                .ingest(tree, ImportOptions.toArchive("ING3"))
                .concurrency(1)
                .run()
                .block();
        assertThat(toArchive.ok()).isFalse();
        assertThat(toArchive.filesFailed()).isEqualTo(4);
        assertThat(toArchive.filesImported()).isEqualTo(8);
        IngestReport.Study failed = toArchive.studies().get(1);
        assertThat(failed.studyInstanceUid()).isEqualTo("1.2.50.2");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).isInstanceOf(XnatServerException.class).hasMessageContaining("injected failure");
        assertThat(c.project("ING3").experiments().count().block()).isEqualTo(2);
    }
}
