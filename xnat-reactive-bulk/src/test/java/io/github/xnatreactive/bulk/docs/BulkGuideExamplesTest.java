package io.github.xnatreactive.bulk.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.ArchiveMode;
import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferPlan;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.Subject;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/guide/bulk.md, run against two testkit servers. Each block between "// doc:NAME" and
 * "// end" is the text of a snippet in the guide (checked by the core module's DocSnippetsTest).
 */
class BulkGuideExamplesTest {
    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("P1:2x1x3x4x8K")));

    @RegisterExtension
    static XnatTestServerExtension other = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    XnatClient xnat;
    XnatClient target;

    @TempDir
    Path tmp;

    @BeforeEach
    void connect() {
        xnat = client(server);
        target = client(other);
    }

    static XnatClient client(XnatTestServerExtension s) {
        return XnatClient.builder()
                .serverUrl(s.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .maxConnections(16)
                .build();
    }

    @AfterEach
    void close() {
        xnat.close();
        target.close();
    }

    @Test
    void download_example() {
        Path dest = tmp.resolve("data");
        // doc:download
        BulkClient bulk = BulkClient.of(xnat, TransferOptions.defaults().concurrency(8));
        TransferReport report = bulk.downloadProject(xnat.project("P1"), dest, Selection.all())
                .run()
                .block();
        System.out.println(report.summary());
        if (!report.succeeded()) {
            report.failed().forEach(f -> System.err.println(f.item() + ": " + f.cause()));
        }
        // end
        assertThat(report.files()).isEqualTo(24);
    }

    @Test
    void selection_example() {
        Path dest = tmp.resolve("t1");
        BulkClient bulk = BulkClient.of(xnat);
        // doc:selection
        Selection t1Only = Selection.all().scanTypes("T1w").resources("DICOM").scansOnly();
        Transfer transfer =
                bulk.download(xnat.project("P1").experiments().map(e -> xnat.experiment(e.id())), dest, t1Only);
        // end
        assertThat(transfer.run().block().files()).isEqualTo(8);
    }

    @Test
    void events_example() {
        Path dest = tmp.resolve("events");
        BulkClient bulk = BulkClient.of(xnat);
        // doc:events
        TransferReport report = bulk.downloadProject(xnat.project("P1"), dest, Selection.all())
                .events()
                .doOnNext(e -> {
                    if (e instanceof TransferEvent.Listed l) {
                        System.out.println("planned so far: +" + l.files() + " files of " + l.group());
                    } else if (e instanceof TransferEvent.Planned p) {
                        System.out.println(
                                p.files() + " files, " + p.bytes() + " bytes, " + p.upToDate() + " already in place");
                    } else if (e instanceof TransferEvent.Retried r) {
                        System.out.println("retrying " + r.item() + ": " + r.cause());
                    } else if (e instanceof TransferEvent.Failed f) {
                        System.err.println("failed " + f.item() + ": " + f.cause());
                    }
                })
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();
        // end
        assertThat(report.succeeded()).isTrue();
    }

    @Test
    void archive_example() {
        Path dest = tmp.resolve("zip");
        // doc:archive
        BulkClient zipped =
                BulkClient.of(xnat, TransferOptions.defaults().archive(ArchiveMode.ALWAYS)); // or AUTO (default), NEVER
        TransferReport report = zipped.downloadProject(xnat.project("P1"), dest, Selection.all())
                .events()
                .doOnNext(e -> {
                    if (e instanceof TransferEvent.Archived a) {
                        System.out.println(a.group() + ": " + a.files() + " files verified from one zip");
                    } else if (e instanceof TransferEvent.ArchiveFallback f) {
                        System.out.println(f.group() + ": " + f.files() + " files go one by one: " + f.cause());
                    }
                })
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();
        // end
        assertThat(report.files()).isEqualTo(24);
    }

    @Test
    void pool_example() {
        String url = server.server().baseUrl();
        Path dest = tmp.resolve("wide");
        // doc:pool
        try (XnatClient wide = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", "admin"))
                .maxConnections(64) // the pool bounds the files in flight
                .build()) {
            BulkClient bulk = BulkClient.of(
                    wide,
                    TransferOptions.defaults().concurrency(8).maxConcurrency(64).archive(ArchiveMode.NEVER));
            TransferReport report = bulk.downloadProject(wide.project("P1"), dest, Selection.all())
                    .run()
                    .block();
            System.out.println(report.summary());
        }
        // end
        assertThat(dest.resolve("P1")).isDirectory();
    }

    @Test
    void resume_example() {
        Path dest = tmp.resolve("resume");
        BulkClient bulk = BulkClient.of(xnat);
        bulk.downloadProject(xnat.project("P1"), dest, Selection.all()).run().block();
        // doc:resume
        TransferPlan plan = bulk.downloadProject(xnat.project("P1"), dest, Selection.all())
                .plan() // a dry run: moves and writes nothing
                .block();
        System.out.println(plan.summary()); // "0 files (0.0 MB) to transfer, 24 already in place"
        // end
        assertThat(plan.upToDate()).hasSize(24);
    }

    @Test
    void upload_example() {
        Path dest = tmp.resolve("up");
        BulkClient.of(xnat)
                .downloadProject(xnat.project("P1"), dest, Selection.all())
                .run()
                .block();
        Path sessionDir = dest.resolve("P1/P1_S001/P1_S001_MR1");
        target.project("P2").create().block();
        // doc:upload
        // sessionDir holds a session in the layout download writes (with its xnat-session.json)
        TransferReport uploaded = BulkClient.of(target)
                .upload(sessionDir, target.project("P2"), null, null, null, Selection.all())
                .run()
                .block();
        // end
        assertThat(uploaded.files()).isEqualTo(12);
    }

    @Test
    void upload_all_example() {
        Path downloaded = tmp.resolve("all");
        BulkClient.of(xnat)
                .downloadProject(xnat.project("P1"), downloaded, Selection.all())
                .run()
                .block();
        target.project("P3").create().block();
        // doc:upload_all
        TransferReport all = BulkClient.of(target)
                .uploadAll(downloaded, target.project("P3"), Selection.all())
                .run()
                .block();
        // end
        assertThat(all.files()).isEqualTo(24);
        assertThat(target.project("P3").experiments().collectList().block()).hasSize(2);
    }

    @Test
    void mirror_example() {
        target.project("COPY").create().block();
        // doc:mirror
        TransferReport mirrored = BulkClient.of(xnat)
                .mirrorProject(xnat.project("P1"), target, "COPY", Selection.all())
                .run()
                .block();
        // end
        assertThat(mirrored.files()).isEqualTo(24);
    }

    @Test
    void readme_example() {
        Path dest = tmp.resolve("readme");
        String url = server.server().baseUrl();
        // doc:readme
        try (XnatClient xnat = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", "admin"))
                .build()) {
            xnat.project("P1")
                    .subjects()
                    .map(Subject::label)
                    .doOnNext(System.out::println)
                    .blockLast();

            TransferReport report = BulkClient.of(xnat)
                    .downloadProject(xnat.project("P1"), dest, Selection.all())
                    .run()
                    .block();
            System.out.println(report.summary()); // every file verified by size and MD5
        }
        // end
        assertThat(dest.resolve("P1/P1_S001/P1_S001_MR1/scans/1-T1w/resources/DICOM/files"))
                .isDirectory();
    }
}
