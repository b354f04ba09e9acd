package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.md5;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.Resource;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.Scan;
import io.github.xnatreactive.core.Subject;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Upload of downloaded sessions, upload of plain folders, and mirror between two servers. */
class UploadMirrorTest {
    @RegisterExtension
    static XnatTestServerExtension source =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x3x4x8K")));

    @RegisterExtension
    static XnatTestServerExtension dest = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static XnatClient src;
    static XnatClient dst;

    @BeforeAll
    static void connect() {
        src = client(source);
        dst = client(dest);
    }

    @AfterAll
    static void close() {
        src.close();
        dst.close();
    }

    /** Descriptive fields of a session (not its names and IDs), as the server lists them. */
    static Map<String, String> descriptiveFields(ExperimentRef e) {
        Map<String, String> f = new TreeMap<>(e.fields().block());
        f.keySet().removeIf(k -> List.of("ID", "id", "project", "label", "subject_ID")
                .contains(k));
        return f;
    }

    /**
     * Everything a copy must reproduce, keyed by labels (never by accession IDs, which differ between servers):
     * subjects, sessions with type and fields, scans with xsiType, type, quality and description, resources, and
     * files with size and MD5.
     */
    static Map<String, String> tree(XnatClient c, String project) {
        return tree(c, project, true);
    }

    /** As {@link #tree(XnatClient, String)}, with or without the subjects' own fields (gender, group). */
    static Map<String, String> tree(XnatClient c, String project, boolean subjectFields) {
        Map<String, String> out = new TreeMap<>();
        for (Subject s : c.project(project).subjects().collectList().block()) {
            Map<String, String> sf =
                    new TreeMap<>(c.project(project).subject(s.label()).fields().block());
            sf.keySet().removeAll(List.of("ID", "project", "label"));
            out.put(s.label(), "subject" + (subjectFields ? " " + sf : ""));
            for (Experiment e : c.project(project)
                    .subject(s.label())
                    .experiments()
                    .collectList()
                    .block()) {
                ExperimentRef er = c.experiment(e.id());
                String k = s.label() + "/" + e.label();
                out.put(k, e.xsiType() + " " + descriptiveFields(er));
                for (Scan scan : er.scans().collectList().block()) {
                    String sk = k + "/scans/" + scan.id();
                    out.put(
                            sk,
                            scan.xsiType() + " type=" + scan.type() + " quality=" + scan.quality() + " description="
                                    + scan.seriesDescription());
                    for (Resource r :
                            er.scan(scan.id()).resources().collectList().block()) {
                        for (FileEntry f : er.scan(scan.id())
                                .resource(r.label())
                                .files()
                                .collectList()
                                .block()) {
                            out.put(sk + "/" + r.label() + "/" + f.path(), f.size() + " " + f.digest());
                        }
                    }
                }
            }
        }
        return out;
    }

    static Map<String, String> subtree(Map<String, String> tree, String prefix) {
        Map<String, String> out = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.equals(prefix) || k.startsWith(prefix + "/")) {
                out.put(k, v);
            }
        });
        return out;
    }

    Path downloadSession(Path dir) {
        TransferReport r = BulkClient.of(src, fast())
                .download(src.project("DEMO").experiment("DEMO_S001_MR1"), dir, Selection.all())
                .run()
                .block();
        assertThat(r.succeeded()).as(r.summary() + " " + r.failed()).isTrue();
        assertThat(r.files()).isEqualTo(12);
        return dir.resolve("DEMO/DEMO_S001/DEMO_S001_MR1");
    }

    @Test
    void uploadRecreatesTheSessionAndThenSendsOnlyWhatChanged(@TempDir Path tmp) throws Exception {
        Path session = downloadSession(tmp);
        dst.project("UP").create().block();
        BulkClient bulk = BulkClient.of(dst, fast());

        TransferReport up = bulk.upload(session, dst.project("UP"), null, null, null, Selection.all())
                .run()
                .block();
        assertThat(up.succeeded()).as(up.summary() + " " + up.failed()).isTrue();
        assertThat(up.files()).isEqualTo(12);
        assertThat(up.skipped()).isZero();
        // a session folder carries the session, not its subject's fields
        assertThat(tree(dst, "UP", false)).isEqualTo(subtree(tree(src, "DEMO", false), "DEMO_S001"));

        TransferReport again = bulk.upload(session, dst.project("UP"), null, null, null, Selection.all())
                .run()
                .block();
        assertThat(again.succeeded()).isTrue();
        assertThat(again.files()).isZero();
        assertThat(again.skipped()).isEqualTo(12);

        Path changed = session.resolve("scans/2-T2w/resources/DICOM/files/DEMO_S001_MR1.2.3.dcm");
        byte[] bytes = Files.readAllBytes(changed);
        bytes[200] ^= 0x7F;
        Files.write(changed, bytes);
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        TransferReport third = bulk.upload(session, dst.project("UP"), null, null, null, Selection.all())
                .events()
                .doOnNext(events::add)
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();
        assertThat(third.succeeded()).as(third.summary() + " " + third.failed()).isTrue();
        assertThat(third.files()).isEqualTo(1);
        assertThat(third.skipped()).isEqualTo(11);
        assertThat(events.stream()
                        .filter(e -> e instanceof TransferEvent.Completed)
                        .map(e -> ((TransferEvent.Completed) e).item().source()))
                .containsExactly(changed.toString());
        FileEntry remote = dst.project("UP")
                .subject("DEMO_S001")
                .experiment("DEMO_S001_MR1")
                .scan("2")
                .resource("DICOM")
                .file("DEMO_S001_MR1.2.3.dcm")
                .entry()
                .block();
        assertThat(remote.digest()).isEqualToIgnoringCase(md5(bytes));
        assertThat(remote.size()).isEqualTo(bytes.length);
    }

    @Test
    void uploadFilesSendsAFolderIntoAResource(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Files.writeString(dir.resolve("sub/b.txt"), "bravo");
        Files.write(dir.resolve("sub/deeper/c.bin"), new byte[70_000]);
        dst.project("FILES").create().block();
        ResourceRef res = dst.project("FILES").resource("NOTES");

        TransferReport r =
                BulkClient.of(dst, fast()).uploadFiles(dir, res).run().block();
        assertThat(r.succeeded()).as(r.summary() + " " + r.failed()).isTrue();
        assertThat(r.files()).isEqualTo(3);
        assertThat(r.bytes()).isEqualTo(5 + 5 + 70_000);
        Map<String, String> listed = new TreeMap<>();
        res.files().toIterable().forEach(f -> listed.put(f.path(), f.digest()));
        assertThat(listed)
                .containsOnly(
                        Map.entry("a.txt", md5(dir.resolve("a.txt"))),
                        Map.entry("sub/b.txt", md5(dir.resolve("sub/b.txt"))),
                        Map.entry("sub/deeper/c.bin", md5(dir.resolve("sub/deeper/c.bin"))));

        TransferReport again =
                BulkClient.of(dst, fast()).uploadFiles(dir, res).run().block();
        assertThat(again.files()).isZero();
        assertThat(again.skipped()).isEqualTo(3);
    }

    @Test
    void mirrorReproducesTheProjectAndARerunMovesNothing() {
        dst.project("MIRROR").create().block();
        BulkClient bulk = BulkClient.of(src, fast());
        TransferPlan plan = bulk.mirrorProject(src.project("DEMO"), dst, "MIRROR", Selection.all())
                .plan()
                .block();
        assertThat(plan.toTransfer()).hasSize(24);
        assertThat(plan.upToDate()).isEmpty();
        assertThat(dst.project("MIRROR").subjects().collectList().block())
                .as("a dry run creates nothing")
                .isEmpty();
        // what the mirror reads at the destination: nothing below a session it found missing is looked up before
        // it is created, and each resource's listing is read once, to verify what arrived
        String scans = "/data/projects/MIRROR/subjects/{subject}/experiments/{experiment}/scans/{scan}";
        AtomicInteger scanLookups = new AtomicInteger();
        AtomicInteger listings = new AtomicInteger();
        dest.server().route("GET", scans, req -> {
            scanLookups.incrementAndGet();
            return RouteResponse.proceed();
        });
        dest.server().route("GET", scans + "/resources/{resource}/files", req -> {
            listings.incrementAndGet();
            return RouteResponse.proceed();
        });
        TransferReport m = bulk.mirrorProject(src.project("DEMO"), dst, "MIRROR", Selection.all())
                .run()
                .block();
        assertThat(m.succeeded()).as(m.summary() + " " + m.failed()).isTrue();
        assertThat(m.files()).isEqualTo(24);
        assertThat(m.bytes()).isEqualTo(24L * 8192);
        assertThat(scanLookups).hasValue(0);
        assertThat(listings)
                .as("one listing per resource (2 sessions x 3 scans)")
                .hasValue(6);
        assertThat(tree(dst, "MIRROR")).isEqualTo(tree(src, "DEMO"));

        TransferReport again = bulk.mirrorProject(src.project("DEMO"), dst, "MIRROR", Selection.all())
                .run()
                .block();
        assertThat(again.succeeded()).isTrue();
        assertThat(again.files()).isZero();
        assertThat(again.skipped()).isEqualTo(24);
        assertThat(tree(dst, "MIRROR")).isEqualTo(tree(src, "DEMO"));
    }

    @Test
    void mirrorCompletesVerifiedWhileTheSourceDropsConnections() {
        dst.project("MIRRORF").create().block();
        Map<String, String> want = tree(src, "DEMO");
        long before = source.server().injectedFaults();
        source.server().faults(FaultSpec.parse("drop=0.2,drop-after=3000,seed=11"));
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        TransferReport m;
        try {
            m = BulkClient.of(src, fast())
                    .mirrorProject(src.project("DEMO"), dst, "MIRRORF", Selection.all())
                    .events()
                    .doOnNext(events::add)
                    .ofType(TransferEvent.Finished.class)
                    .blockLast()
                    .report();
        } finally {
            source.server().faults(FaultSpec.none());
        }
        assertThat(source.server().injectedFaults() - before).isPositive();
        assertThat(m.succeeded()).as(m.summary() + " " + m.failed()).isTrue();
        assertThat(m.files()).isEqualTo(24);
        assertThat(m.bytes()).isEqualTo(24L * 8192);
        assertThat(m.retried()).isPositive();
        assertThat(events.stream().filter(e -> e instanceof TransferEvent.Retried))
                .hasSize((int) m.retried());
        assertThat(tree(dst, "MIRRORF")).isEqualTo(want);
    }

    @Test
    void mirrorSurvivesTheDestinationForgettingItsSessions() {
        dst.project("MIRRORX").create().block();
        AtomicInteger completed = new AtomicInteger();
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        TransferReport m = BulkClient.of(src, fast())
                .mirrorProject(src.project("DEMO"), dst, "MIRRORX", Selection.all())
                .events()
                .doOnNext(e -> {
                    events.add(e);
                    if (e instanceof TransferEvent.Completed && completed.incrementAndGet() % 6 == 0) {
                        dest.server().expireSessions();
                    }
                })
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();
        assertThat(m.succeeded()).as(m.summary() + " " + m.failed()).isTrue();
        assertThat(m.files()).isEqualTo(24);
        assertThat(events.stream()
                        .filter(e -> e instanceof TransferEvent.Retried)
                        .map(e -> ((TransferEvent.Retried) e).cause()))
                .as("a replayed upload is not a digest mismatch")
                .noneMatch(c -> c.contains("MD5"));
        assertThat(tree(dst, "MIRRORX")).isEqualTo(tree(src, "DEMO"));
    }
}
