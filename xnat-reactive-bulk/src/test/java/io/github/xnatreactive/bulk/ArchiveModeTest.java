package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.expectedScanFiles;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.localFiles;
import static io.github.xnatreactive.bulk.BulkTesting.md5;
import static io.github.xnatreactive.bulk.BulkTesting.partFiles;
import static io.github.xnatreactive.bulk.BulkTesting.serverFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Resources of small files moved as one zip: download, upload and mirror, reruns, and what an archive lacks. */
class ArchiveModeTest {
    /** 2 sessions x 2 scans x 20 files of 2 KiB: every resource qualifies for an archive automatically. */
    @RegisterExtension
    static XnatTestServerExtension source =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("ARC:1x2x2x20x2K")));

    @RegisterExtension
    static XnatTestServerExtension dest = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    /** A server whose files get damaged on its disk. */
    @RegisterExtension
    static XnatTestServerExtension damaged =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("BAD:1x1x1x20x2K")));

    static XnatClient src;
    static XnatClient dst;
    static XnatClient bad;

    @BeforeAll
    static void connect() {
        src = client(source);
        dst = client(dest);
        bad = client(damaged);
    }

    @AfterAll
    static void close() {
        src.close();
        dst.close();
        bad.close();
    }

    static List<TransferEvent> run(Transfer t) {
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        t.events().doOnNext(events::add).blockLast();
        return events;
    }

    static TransferReport report(List<TransferEvent> events) {
        return ((TransferEvent.Finished) events.get(events.size() - 1)).report();
    }

    static <T extends TransferEvent> List<T> of(List<TransferEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void downloadMovesEachResourceAsOneVerifiedZipAndARerunMovesNothing(@TempDir Path dir) throws Exception {
        Map<String, FileEntry> expected = expectedScanFiles(src, "ARC");
        assertThat(expected).hasSize(80);
        // every single-file download is cut short: only archives can deliver the files
        source.server().faults(FaultSpec.parse("drop=1.0,drop-after=100,seed=3"));
        List<TransferEvent> events;
        try {
            events = run(BulkClient.of(src, fast().maxAttempts(1))
                    .downloadProject(src.project("ARC"), dir, Selection.all()));
        } finally {
            source.server().faults(FaultSpec.none());
        }
        TransferReport r = report(events);
        assertThat(r.succeeded()).as(r.summary() + " " + r.failed()).isTrue();
        assertThat(r.files()).isEqualTo(80);
        assertThat(r.bytes()).isEqualTo(80L * 2048);
        assertThat(of(events, TransferEvent.Archived.class))
                .hasSize(4)
                .allMatch(a -> a.files() == 20 && a.bytes() == 20L * 2048);
        assertThat(of(events, TransferEvent.ArchiveFallback.class)).isEmpty();
        for (var e : expected.entrySet()) {
            assertThat(md5(dir.resolve(e.getKey())))
                    .isEqualToIgnoringCase(e.getValue().digest());
        }
        assertThat(partFiles(dir)).isEmpty();

        List<TransferEvent> again =
                run(BulkClient.of(src, fast()).downloadProject(src.project("ARC"), dir, Selection.all()));
        assertThat(report(again).files()).isZero();
        assertThat(report(again).skipped()).isEqualTo(80);
        assertThat(of(again, TransferEvent.Archived.class)).isEmpty();
    }

    @Test
    void whatAnArchiveLacksOrGetsWrongIsFetchedFileByFileAndNothingUnverifiedIsKept(@TempDir Path dir)
            throws Exception {
        Map<String, FileEntry> expected = expectedScanFiles(bad, "BAD");
        List<Map.Entry<String, FileEntry>> files = new ArrayList<>(expected.entrySet());
        // one entry of the zip differs from the listing; a later one is gone, which cuts the zip stream there
        Map.Entry<String, FileEntry> different = files.get(4);
        Map.Entry<String, FileEntry> gone = files.get(12);
        Path onDisk = serverFile(damaged, different.getValue().digest());
        byte[] bytes = Files.readAllBytes(onDisk);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(onDisk, bytes);
        Files.delete(serverFile(damaged, gone.getValue().digest()));

        List<TransferEvent> events = run(
                BulkClient.of(bad, fast().maxAttempts(2)).downloadProject(bad.project("BAD"), dir, Selection.all()));
        TransferReport r = report(events);
        assertThat(r.files()).isEqualTo(18);
        assertThat(r.failed())
                .extracting(f -> f.item().target())
                .containsExactlyInAnyOrder(
                        dir.toAbsolutePath()
                                .normalize()
                                .resolve(different.getKey())
                                .toString(),
                        dir.toAbsolutePath().normalize().resolve(gone.getKey()).toString());
        assertThat(r.failed()).allMatch(f -> f.error() != null);
        List<TransferEvent.ArchiveFallback> fallbacks = of(events, TransferEvent.ArchiveFallback.class);
        assertThat(fallbacks).hasSize(1);
        assertThat(fallbacks.get(0).files()).isGreaterThanOrEqualTo(2);
        // nothing unverified at a final path, no partial file anywhere
        assertThat(dir.resolve(different.getKey())).doesNotExist();
        assertThat(dir.resolve(gone.getKey())).doesNotExist();
        assertThat(partFiles(dir)).isEmpty();
        TreeSet<String> want = new TreeSet<>(expected.keySet());
        want.remove(different.getKey());
        want.remove(gone.getKey());
        TreeSet<String> got = localFiles(dir);
        got.removeIf(p -> p.endsWith("xnat-session.json"));
        assertThat(got).isEqualTo(want);
        for (String p : want) {
            assertThat(md5(dir.resolve(p)))
                    .isEqualToIgnoringCase(expected.get(p).digest());
        }
    }

    @Test
    void uploadSendsSmallFilesAsOneZipAndThenOnlyWhatDiffers(@TempDir Path tmp) throws Exception {
        TransferReport down = BulkClient.of(src, fast())
                .download(src.project("ARC").experiment("ARC_S001_MR1"), tmp, Selection.all())
                .run()
                .block();
        assertThat(down.files()).isEqualTo(40);
        Path session = tmp.resolve("ARC/ARC_S001/ARC_S001_MR1");
        dst.project("UPZ").create().block();

        List<TransferEvent> events =
                run(BulkClient.of(dst, fast()).upload(session, dst.project("UPZ"), null, null, null, Selection.all()));
        TransferReport up = report(events);
        assertThat(up.succeeded()).as(up.summary() + " " + up.failed()).isTrue();
        assertThat(up.files()).isEqualTo(40);
        assertThat(of(events, TransferEvent.Archived.class)).hasSize(2);
        assertThat(of(events, TransferEvent.ArchiveFallback.class)).isEmpty();
        Map<String, String> want = new java.util.TreeMap<>(
                UploadMirrorTest.subtree(UploadMirrorTest.tree(src, "ARC", false), "ARC_S001/ARC_S001_MR1"));
        want.put("ARC_S001", "subject");
        assertThat(UploadMirrorTest.tree(dst, "UPZ", false)).isEqualTo(want);

        // one file changed locally: with archives always on, it alone goes, as a zip of one
        Path changed;
        try (var s = Files.walk(session.resolve("scans"))) {
            changed = s.filter(p -> p.toString().endsWith(".dcm"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(changed);
        bytes[0] ^= 0x01;
        Files.write(changed, bytes);
        List<TransferEvent> again = run(BulkClient.of(dst, fast().archive(ArchiveMode.ALWAYS))
                .upload(session, dst.project("UPZ"), null, null, null, Selection.all()));
        assertThat(report(again).files()).isEqualTo(1);
        assertThat(report(again).skipped()).isEqualTo(39);
        assertThat(of(again, TransferEvent.Archived.class)).hasSize(1).allMatch(a -> a.files() == 1);
        String rel = changed.getFileName().toString();
        var remote = dst.project("UPZ")
                .subject("ARC_S001")
                .experiment("ARC_S001_MR1")
                .scan(changed.getParent()
                        .getParent()
                        .getParent()
                        .getParent()
                        .getFileName()
                        .toString()
                        .split("-")[0])
                .resource("DICOM")
                .files()
                .filter(f -> f.path().equals(rel))
                .blockFirst();
        assertThat(remote.digest()).isEqualToIgnoringCase(md5(changed));
    }

    /** One scan of 600 files of 1 KiB: more than one upload zip's worth of files. */
    @RegisterExtension
    static XnatTestServerExtension wide =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("WIDE:1x1x1x600x1K")));

    @Test
    void aLargeResourceUploadsAsSeveralZipsAtOnceAndAZipThatFailsGoesFileByFile(@TempDir Path tmp) throws Exception {
        XnatClient w = client(wide);
        try {
            assertThat(BulkClient.of(w, fast())
                            .downloadProject(w.project("WIDE"), tmp, Selection.all())
                            .run()
                            .block()
                            .files())
                    .isEqualTo(600);
            Path session = tmp.resolve("WIDE/WIDE_S001/WIDE_S001_MR1");
            Map<String, String> want = new java.util.TreeMap<>();
            want.putAll(digests(w, "WIDE"));

            // 600 files: three zips of 200 (at most 256 files each), sent at once; every file verified
            dst.project("WIDE1").create().block();
            List<TransferEvent> events = run(BulkClient.of(dst, fast())
                    .upload(session, dst.project("WIDE1"), null, null, null, Selection.all()));
            TransferReport up = report(events);
            assertThat(up.succeeded()).as(up.summary() + " " + up.failed()).isTrue();
            assertThat(up.files()).isEqualTo(600);
            assertThat(of(events, TransferEvent.Archived.class))
                    .extracting(TransferEvent.Archived::files)
                    .containsExactly(200L, 200L, 200L);
            assertThat(of(events, TransferEvent.ArchiveFallback.class)).isEmpty();
            assertThat(digests(dst, "WIDE1")).isEqualTo(want);
            // a rerun finds every part in place
            TransferReport again = BulkClient.of(dst, fast())
                    .upload(session, dst.project("WIDE1"), null, null, null, Selection.all())
                    .run()
                    .block();
            assertThat(again.files()).isZero();
            assertThat(again.skipped()).isEqualTo(600);

            // the server refuses some of the zips: their files go one by one, the others' stay done
            dst.project("WIDE2").create().block();
            dest.server()
                    .faults(FaultSpec.parse("error=0.5,seed=3,route=/data/projects/WIDE2/subjects/{s}/experiments/{e}"
                            + "/scans/{sc}/resources/{r}/files/xnat-reactive-bulk.zip"));
            long before = dest.server().injectedFaults();
            try {
                events = run(BulkClient.of(dst, fast())
                        .upload(session, dst.project("WIDE2"), null, null, null, Selection.all()));
            } finally {
                dest.server().faults(FaultSpec.none());
            }
            assertThat(dest.server().injectedFaults() - before)
                    .as("zips refused")
                    .isPositive();
            up = report(events);
            assertThat(up.succeeded()).as(up.summary() + " " + up.failed()).isTrue();
            assertThat(up.files()).isEqualTo(600);
            long archived = of(events, TransferEvent.Archived.class).stream()
                    .mapToLong(TransferEvent.Archived::files)
                    .sum();
            long oneByOne = of(events, TransferEvent.ArchiveFallback.class).stream()
                    .mapToLong(TransferEvent.ArchiveFallback::files)
                    .sum();
            assertThat(archived).as("zips the server took").isPositive();
            assertThat(oneByOne).as("files of the zips it refused").isPositive();
            assertThat(archived + oneByOne).isEqualTo(600);
            assertThat(digests(dst, "WIDE2")).isEqualTo(want);
        } finally {
            w.close();
        }
    }

    static Map<String, String> digests(XnatClient c, String project) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (FileEntry f : c.project(project)
                .subject("WIDE_S001")
                .experiment("WIDE_S001_MR1")
                .scan("1")
                .resource("DICOM")
                .files()
                .collectList()
                .block()) {
            out.put(f.path(), f.digest().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    @Test
    void mirrorStreamsZipToZipVerifiedOnBothSides() {
        dst.project("MIRZ").create().block();
        List<TransferEvent> events =
                run(BulkClient.of(src, fast()).mirrorProject(src.project("ARC"), dst, "MIRZ", Selection.all()));
        TransferReport m = report(events);
        assertThat(m.succeeded()).as(m.summary() + " " + m.failed()).isTrue();
        assertThat(m.files()).isEqualTo(80);
        assertThat(of(events, TransferEvent.Archived.class)).hasSize(4);
        assertThat(of(events, TransferEvent.ArchiveFallback.class)).isEmpty();
        assertThat(UploadMirrorTest.tree(dst, "MIRZ")).isEqualTo(UploadMirrorTest.tree(src, "ARC"));

        List<TransferEvent> again =
                run(BulkClient.of(src, fast()).mirrorProject(src.project("ARC"), dst, "MIRZ", Selection.all()));
        assertThat(report(again).files()).isZero();
        assertThat(report(again).skipped()).isEqualTo(80);
    }

    @Test
    void archivesCanBeSwitchedOff(@TempDir Path dir) {
        List<TransferEvent> events = run(BulkClient.of(src, fast().archive(ArchiveMode.NEVER))
                .download(src.project("ARC").experiment("ARC_S001_MR2"), dir, Selection.all()));
        assertThat(report(events).files()).isEqualTo(40);
        assertThat(of(events, TransferEvent.Archived.class)).isEmpty();
    }

    /** Downloads ARC with every archive hit by {@code faults}; every file must still end up verified. */
    List<TransferEvent> underArchiveFaults(Path dir, String faults) throws Exception {
        Map<String, FileEntry> expected = expectedScanFiles(src, "ARC");
        long before = source.server().injectedFaults();
        source.server().faults(FaultSpec.parse(faults));
        List<TransferEvent> events;
        try {
            events = run(BulkClient.of(src, fast().archive(ArchiveMode.ALWAYS))
                    .downloadProject(src.project("ARC"), dir, Selection.all()));
        } finally {
            source.server().faults(FaultSpec.none());
        }
        assertThat(source.server().injectedFaults() - before)
                .as("faults injected")
                .isPositive();
        TransferReport r = report(events);
        assertThat(r.succeeded()).as(r.summary() + " " + r.failed()).isTrue();
        assertThat(r.files()).isEqualTo(80);
        for (var e : expected.entrySet()) {
            assertThat(md5(dir.resolve(e.getKey())))
                    .isEqualToIgnoringCase(e.getValue().digest());
        }
        assertThat(partFiles(dir)).isEmpty();
        TreeSet<String> got = localFiles(dir);
        got.removeIf(p -> p.endsWith("xnat-session.json"));
        assertThat(got).as("nothing but the listed files").isEqualTo(new TreeSet<>(expected.keySet()));
        assertThat(of(events, TransferEvent.ArchiveFallback.class))
                .as("each archive fell short")
                .hasSize(4);
        return events;
    }

    @Test
    void aZipDroppedMidEntryKeepsWhatItVerifiedAndTheRestGoesFileByFile(@TempDir Path dir) throws Exception {
        List<TransferEvent> events = underArchiveFaults(dir, "archive-drop=1,archive-drop-after=20000,seed=4");
        List<TransferEvent.Archived> archived = of(events, TransferEvent.Archived.class);
        assertThat(archived).as("entries verified before the cut stay").hasSize(4);
        assertThat(archived).allMatch(a -> a.files() > 0 && a.files() < 20);
        long fellBack = of(events, TransferEvent.ArchiveFallback.class).stream()
                .mapToLong(TransferEvent.ArchiveFallback::files)
                .sum();
        assertThat(fellBack
                        + archived.stream()
                                .mapToLong(TransferEvent.Archived::files)
                                .sum())
                .isEqualTo(80);
    }

    @Test
    void aCorruptedEntryIsNeverKeptAndIsFetchedAgain(@TempDir Path dir) throws Exception {
        List<TransferEvent> events = underArchiveFaults(dir, "archive-corrupt=1,seed=5");
        assertThat(of(events, TransferEvent.ArchiveFallback.class)).allMatch(f -> f.files() == 1);
    }

    @Test
    void anEntryMissingFromTheZipIsFetchedOnItsOwn(@TempDir Path dir) throws Exception {
        List<TransferEvent> events = underArchiveFaults(dir, "archive-omit=1,seed=6");
        assertThat(of(events, TransferEvent.ArchiveFallback.class)).allMatch(f -> f.files() == 1);
    }

    @Test
    void anEntryOutsideTheDestinationIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("inside");
        List<TransferEvent> events = underArchiveFaults(dir, "archive-slip=1,seed=7");
        assertThat(of(events, TransferEvent.ArchiveFallback.class))
                .allMatch(f -> f.cause() instanceof io.github.xnatreactive.core.XnatProtocolException
                        && f.cause().getMessage().contains("zip-slip"));
        assertThat(localFiles(tmp)).noneMatch(p -> p.contains("evil"));
    }

    @Test
    void aFileIsAttemptedAtMostMaxAttemptsTimesInAll(@TempDir Path dir) throws Exception {
        // every single-file download is cut: the engine alone retries, the client does not multiply its attempts
        long before = source.server().injectedFaults();
        source.server().faults(FaultSpec.parse("drop=1.0,drop-after=100,seed=8"));
        List<TransferEvent> events;
        try {
            events = run(BulkClient.of(src, fast().maxAttempts(3).archive(ArchiveMode.NEVER))
                    .download(src.project("ARC").experiment("ARC_S001_MR1"), dir, Selection.all()));
        } finally {
            source.server().faults(FaultSpec.none());
        }
        TransferReport r = report(events);
        assertThat(r.failed()).hasSize(40);
        assertThat(source.server().injectedFaults() - before)
                .as("requests of files, all dropped")
                .isEqualTo(40 * 3);
        assertThat(of(events, TransferEvent.Retried.class)).hasSize(40 * 2);
        assertThat(partFiles(dir)).isEmpty();
    }
}
