package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.github.xnatreactive.testkit.internal.DicomWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The import service and the prearchive through the SDK, over real HTTP against the testkit. */
class ImportTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static XnatClient c;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
        for (String p : List.of("IMP1", "IMP2", "IMP3", "IMP4", "IMP5", "IMP6")) {
            c.project(p).create().block();
        }
        c.project("IMP6").addAlias("IMP6_ALIAS").block();
    }

    @AfterAll
    static void close() {
        c.close();
    }

    /** Writes a study as DICOM files under {@code dir/patient/series/IMn.dcm}. */
    static List<Path> study(Path dir, String patient, String studyUid, int series, int instances) throws IOException {
        List<Path> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(studyUid.hashCode());
        for (int s = 1; s <= series; s++) {
            Path d = Files.createDirectories(dir.resolve(patient).resolve("s" + s));
            for (int i = 1; i <= instances; i++) {
                Path f = d.resolve("IM" + i + ".dcm");
                DicomWriter.write(
                        f,
                        2048,
                        new DicomWriter.Instance(
                                patient,
                                patient + "_MR1",
                                studyUid,
                                "20240301",
                                "study",
                                studyUid + "." + s,
                                s,
                                "SERIES" + s,
                                i),
                        random,
                        new byte[2048]);
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void aDirectoryGoesToThePrearchiveZippedOnTheFlyAndIsArchivedFromThere() throws Exception {
        study(tmp, "Anna", "1.2.40.1", 2, 3);
        study(tmp, "Bert", "1.2.40.2", 1, 2);
        ImportResult r =
                c.importer().directory(tmp, ImportOptions.toPrearchive("IMP1")).block();
        assertThat(r.prearchived()).hasSize(2);
        assertThat(r.archived()).isEmpty();

        List<PrearchiveSession> listed =
                c.prearchive().sessions("IMP1").collectList().block();
        assertThat(listed).extracting(PrearchiveSession::name).containsExactly("Anna_MR1", "Bert_MR1");
        assertThat(listed).extracting(PrearchiveSession::status).containsOnly(PrearchiveStatus.READY);
        assertThat(listed.get(0).studyInstanceUid()).isEqualTo("1.2.40.1");
        assertThat(c.prearchive()
                        .sessions()
                        .map(PrearchiveSession::project)
                        .collectList()
                        .block())
                .contains("IMP1");

        PrearchiveSessionRef anna = c.prearchive().session(r.prearchived().get(0));
        assertThat(anna).isEqualTo(c.prearchive().session(listed.get(0)));
        assertThat(anna.scans().collectList().block())
                .extracting(PrearchiveScan::id, PrearchiveScan::seriesDescription, PrearchiveScan::fileCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", "SERIES1", 3L),
                        org.assertj.core.groups.Tuple.tuple("2", "SERIES2", 3L));
        assertThat(anna.resource("1").files().map(FileEntry::name).collectList().block())
                .containsExactly("IM1.dcm", "IM2.dcm", "IM3.dcm");
        Path copy = anna.download(tmp.resolve("copy")).block();
        assertThat(Files.readAllBytes(copy.resolve("2/IM3.dcm")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("Anna/s2/IM3.dcm")));

        String archived = anna.waitFor(PrearchiveStatus.READY, Duration.ofMinutes(1))
                .then(anna.archive())
                .block();
        assertThat(archived).isEqualTo("/data/archive/projects/IMP1/subjects/Anna/experiments/Anna_MR1");
        assertThat(c.project("IMP1")
                        .subject("Anna")
                        .experiment("Anna_MR1")
                        .scans()
                        .count()
                        .block())
                .isEqualTo(2);
        assertThatThrownBy(() -> anna.get().block()).isInstanceOf(XnatNotFoundException.class);
    }

    @Test
    void anImportNamingAProjectByItsAliasLandsInThatProject() throws Exception {
        // XNAT resolves the import service's project by ID or alias (its project cache), as its REST paths do
        List<Path> files = study(tmp, "Jana", "1.2.40.10", 1, 2);
        ImportResult archived = c.importer()
                .files(
                        Flux.fromIterable(files),
                        ImportOptions.toArchive("IMP6_ALIAS").subject("JANA").session("JANA_MR"))
                .block();
        assertThat(archived.archived())
                .containsExactly("/data/archive/projects/IMP6/subjects/JANA/experiments/JANA_MR");
        assertThat(c.project("IMP6")
                        .subject("JANA")
                        .experiment("JANA_MR")
                        .scans()
                        .count()
                        .block())
                .isEqualTo(1);

        study(tmp.resolve("pre"), "Karl", "1.2.40.11", 1, 1);
        ImportResult prearchived = c.importer()
                .directory(tmp.resolve("pre"), ImportOptions.toPrearchive("IMP6_ALIAS"))
                .block();
        assertThat(prearchived.prearchived()).hasSize(1);
        assertThat(c.prearchive()
                        .sessions("IMP6")
                        .map(PrearchiveSession::name)
                        .collectList()
                        .block())
                .containsExactly("Karl_MR1");
        assertThat(c.prearchive()
                        .session(prearchived.prearchived().get(0))
                        .get()
                        .block()
                        .project())
                .isEqualTo("IMP6");
    }

    @Test
    void aFluxOfFilesGoesStraightToTheArchiveAndASecondImportConflictsUnlessAppending() throws Exception {
        List<Path> files = study(tmp, "Cara", "1.2.40.3", 2, 2);
        ImportOptions direct = ImportOptions.toArchive("IMP2").subject("CARA").session("CARA_MR");
        ExperimentRef cara = c.project("IMP2").subject("CARA").experiment("CARA_MR");
        ImportResult r = c.importer().files(Flux.fromIterable(files), direct).block();
        assertThat(r.archived()).containsExactly("/data/archive/projects/IMP2/subjects/CARA/experiments/CARA_MR");
        assertThat(cara.scans().count().block()).isEqualTo(2);

        assertThatThrownBy(() ->
                        c.importer().files(Flux.fromIterable(files), direct).block())
                .isInstanceOf(XnatConflictException.class)
                .hasMessageContaining("already exists");
        List<Path> more = study(tmp.resolve("more"), "Cara", "1.2.40.3", 3, 1);
        ImportResult appended = c.importer()
                .files(Flux.fromIterable(more), direct.overwrite(ImportOptions.Overwrite.APPEND))
                .block();
        assertThat(appended.archived()).hasSize(1);
        assertThat(cara.scans().count().block()).isEqualTo(3);
    }

    @Test
    void anArchiveFileAndSingleInstancesImportAsTheyAre() throws Exception {
        List<Path> files = study(tmp, "Dora", "1.2.40.4", 1, 2);
        Path zip = tmp.resolve("dora.zip");
        try (OutputStream o = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(o)) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry(f.getFileName().toString()));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
        ImportResult r =
                c.importer().archive(zip, ImportOptions.toPrearchive("IMP3")).block();
        assertThat(r.prearchived()).hasSize(1);

        List<Path> single = study(tmp.resolve("single"), "Emil", "1.2.40.5", 1, 2);
        String first = c.importer()
                .instance(single.get(0), ImportOptions.toProject("IMP3"))
                .block()
                .uris()
                .get(0);
        String second = c.importer()
                .instance(single.get(1), ImportOptions.toProject("IMP3"))
                .block()
                .uris()
                .get(0);
        assertThat(second).isEqualTo(first);
        assertThat(c.prearchive().session(first).get().block().status()).isEqualTo(PrearchiveStatus.RECEIVING);
        assertThat(c.prearchive().session(first).resource("1").files().count().block())
                .isEqualTo(2);
    }

    @Test
    void badInputIsATypedErrorAndNothingIsImported() throws Exception {
        study(tmp, "Finn", "1.2.40.6", 1, 2);
        Files.writeString(tmp.resolve("Finn/readme.txt"), "not DICOM");
        assertThatThrownBy(() -> c.importer()
                        .directory(tmp, ImportOptions.toPrearchive("IMP4"))
                        .block())
                .isInstanceOf(XnatHttpException.class)
                .satisfies(e -> assertThat(((XnatHttpException) e).status()).isEqualTo(400))
                .hasMessageContaining("readme.txt");
        assertThat(c.prearchive().sessions("IMP4").count().block()).isZero();
        assertThat(c.importer()
                        .directory(tmp, ImportOptions.toPrearchive("IMP4").ignoreUnparsable(true))
                        .block()
                        .prearchived())
                .hasSize(1);
        assertThatThrownBy(() -> c.importer()
                        .directory(tmp, ImportOptions.toPrearchive("NO_SUCH"))
                        .block())
                .isInstanceOf(XnatNotFoundException.class);
        assertThatThrownBy(() -> c.importer().archive(tmp.resolve("x.rar"), ImportOptions.toArchive("IMP4")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Imports a one-file study without a destination: it stays RECEIVING in IMP5's prearchive. */
    static PrearchiveSessionRef receiving(XnatClient x, Path dir, String patient, String uid) throws IOException {
        study(dir, patient, uid, 1, 1);
        String uri = x.importer()
                .directory(dir, ImportOptions.toProject("IMP5"))
                .block()
                .uris()
                .get(0);
        return x.prearchive().session(uri);
    }

    @Test
    void sessionsMoveRebuildAndDelete() throws Exception {
        PrearchiveSessionRef gus = receiving(c, tmp, "Gus", "1.2.40.7");
        assertThat(gus.get().block().status()).isEqualTo(PrearchiveStatus.RECEIVING);
        PrearchiveSessionRef moved = gus.rebuild().then(gus.move("IMP4")).block();
        assertThat(moved.project()).isEqualTo("IMP4");
        assertThat(moved.get().block().status()).isEqualTo(PrearchiveStatus.READY);
        assertThatThrownBy(() -> gus.get().block()).isInstanceOf(XnatNotFoundException.class);
        moved.delete().block();
        assertThatThrownBy(() -> moved.get().block()).isInstanceOf(XnatNotFoundException.class);
    }

    /** A scheduler that tells when a task is scheduled with a delay below the given one (the poll waits). */
    static final class Observed implements Scheduler {
        final VirtualTimeScheduler time = VirtualTimeScheduler.create();
        final List<Long> delays = new CopyOnWriteArrayList<>();
        volatile CountDownLatch next = new CountDownLatch(1);

        @Override
        public Disposable schedule(Runnable task) {
            return time.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return noted(time.schedule(task, delay, unit), delay, unit);
        }

        /** Notes a delayed task shorter than a minute: the timeout is longer, the polls are shorter. */
        Disposable noted(Disposable d, long delay, TimeUnit unit) {
            if (unit.toMillis(delay) < Duration.ofMinutes(1).toMillis()) {
                delays.add(unit.toMillis(delay));
                next.countDown();
            }
            return d;
        }

        @Override
        public Worker createWorker() {
            Worker w = time.createWorker();
            Observed self = this;
            return new Worker() {
                @Override
                public Disposable schedule(Runnable task) {
                    return w.schedule(task);
                }

                @Override
                public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                    return self.noted(w.schedule(task, delay, unit), delay, unit);
                }

                @Override
                public void dispose() {
                    w.dispose();
                }

                @Override
                public boolean isDisposed() {
                    return w.isDisposed();
                }
            };
        }

        /** Waits until the next poll is scheduled (no request in flight then) and answers its delay. */
        long awaitPoll() throws InterruptedException {
            assertThat(next.await(60, TimeUnit.SECONDS))
                    .as("a poll was scheduled")
                    .isTrue();
            next = new CountDownLatch(1);
            return delays.get(delays.size() - 1);
        }

        /** Waits for the next poll to be scheduled, then moves virtual time past it. */
        void awaitPollAndAdvance() throws InterruptedException {
            time.advanceTimeBy(Duration.ofMillis(awaitPoll()));
        }
    }

    @Test
    void waitForPollsWithBackoffInVirtualTimeAndStopsWhenCancelled() throws Exception {
        Observed scheduler = new Observed();
        try (XnatClient v = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .scheduler(scheduler)
                .build()) {
            PrearchiveSessionRef hal = receiving(v, tmp, "Hal", "1.2.40.8");
            reactor.core.publisher.Sinks.One<PrearchiveSession> result = reactor.core.publisher.Sinks.one();
            Disposable waiting = hal.waitFor(PrearchiveStatus.READY, Duration.ofMinutes(30))
                    .subscribe(result::tryEmitValue, result::tryEmitError);
            scheduler.awaitPollAndAdvance(); // 500 ms: still RECEIVING
            scheduler.awaitPollAndAdvance(); // 1 s: still RECEIVING
            long third = scheduler.awaitPoll(); // the third poll waits 2 s, with no request in flight: build now
            hal.rebuild().block();
            scheduler.time.advanceTimeBy(Duration.ofMillis(third));
            PrearchiveSession ready = result.asMono().block(Duration.ofSeconds(60));
            assertThat(ready.status()).isEqualTo(PrearchiveStatus.READY);
            assertThat(scheduler.delays).containsExactly(500L, 1000L, 2000L);
            assertThat(waiting.isDisposed()).isTrue();

            // a wait that is cancelled polls no more; one that runs out of time fails with a TimeoutException
            hal.move("IMP3").block();
            PrearchiveSessionRef elsewhere = v.prearchive().session("IMP3", hal.timestamp(), hal.folder());
            assertThat(elsewhere.get().block().status()).isEqualTo(PrearchiveStatus.READY);
            reactor.core.publisher.Sinks.One<Throwable> failed = reactor.core.publisher.Sinks.one();
            Disposable cancelled = elsewhere
                    .waitFor(PrearchiveStatus.ARCHIVING, Duration.ofSeconds(3))
                    .subscribe(s -> {}, failed::tryEmitValue);
            scheduler.awaitPollAndAdvance();
            int before = scheduler.delays.size();
            scheduler.time.advanceTimeBy(Duration.ofSeconds(3));
            assertThat(failed.asMono().block(Duration.ofSeconds(60))).isInstanceOf(TimeoutException.class);
            cancelled.dispose();
            scheduler.time.advanceTimeBy(Duration.ofMinutes(5));
            assertThat(scheduler.delays).hasSizeLessThanOrEqualTo(before + 1);
        }
    }

    @Test
    void pollsBackOffFromHalfASecondToTenSeconds() {
        assertThat(PrearchiveSessionRef.poll(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(PrearchiveSessionRef.poll(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PrearchiveSessionRef.poll(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(PrearchiveSessionRef.poll(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(PrearchiveSessionRef.poll(60)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void dicomDumpReadsTheHeaderOfTheFirstFile() throws Exception {
        study(tmp, "Ida", "1.2.40.9", 2, 1);
        ImportResult r =
                c.importer().directory(tmp, ImportOptions.toPrearchive("IMP3")).block();
        PrearchiveSessionRef ida = c.prearchive().session(r.prearchived().get(0));
        assertThat(ida.dicomDump().collectList().block()).anySatisfy(e -> {
            assertThat(e.tag()).isEqualTo("(0020,000D)");
            assertThat(e.value()).isEqualTo("1.2.40.9");
            assertThat(e.description()).isEqualTo("Study Instance UID");
        });
        ida.archive().block();
        ExperimentRef archived = c.project("IMP3").subject("Ida").experiment("Ida_MR1");
        assertThat(archived.dicomDump()
                        .map(DicomDumpEntry::description)
                        .collectList()
                        .block())
                .contains("Patient's Name", "Series Number");
        assertThat(archived.scan("2")
                        .dicomDump()
                        .filter(e -> e.tag().equals("(0020,0011)"))
                        .blockFirst()
                        .value())
                .isEqualTo("2");
    }
}
