package io.github.xnatreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.ImportOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class IngestionLoopTest {
    @RegisterExtension
    static XnatTestServerExtension scanner = new XnatTestServerExtension(b -> b.seed(SeedSpec.parse("SRC:1x3x2x3x8K")));

    @RegisterExtension
    static XnatTestServerExtension archive = new XnatTestServerExtension();

    @TempDir
    Path tmp;

    XnatClient source;
    XnatClient xnat;
    Path staging;
    Path inbox;

    @BeforeEach
    void prepare() throws IOException {
        source = TestSupport.client(scanner.server());
        xnat = TestSupport.client(archive.server());
        staging = tmp.resolve("staging");
        inbox = Files.createDirectories(tmp.resolve("inbox"));
        for (String session : List.of("SRC_S001_MR1", "SRC_S001_MR2", "SRC_S001_MR3")) {
            DownloadSession.download(source, "SRC", "SRC_S001", session, staging);
        }
    }

    @AfterEach
    void close() {
        source.close();
        xnat.close();
    }

    @Test
    void uploadsEachFolderThatAppearsOnceAndGoesOnAfterAFailure() {
        // Outcomes are handled off the upload threads, so the steps below may write files.
        xnat.project("ARCHIVE").create().block();
        var loop = IngestionLoop.ingest(xnat, inbox, "ARCHIVE", Duration.ofMillis(50))
                .publishOn(Schedulers.boundedElastic());

        StepVerifier.create(loop)
                .then(() -> write(inbox.resolve("a-broken").resolve("xnat-session.json"), "{ not json"))
                .assertNext(o -> {
                    assertThat(o.folder()).isEqualTo(inbox.resolve("a-broken"));
                    assertThat(o.succeeded()).isFalse();
                    assertThat(o.error()).isNotNull();
                })
                .then(() -> drop("SRC_S001_MR1", "b-first"))
                .assertNext(o -> assertUploaded(o, "b-first"))
                .then(() -> drop("SRC_S001_MR2", "c-second"))
                .assertNext(o -> assertUploaded(o, "c-second"))
                // Every scan lists a-broken, b-first and c-second first (name order): had any of them been taken
                // again, it would come out before d-third.
                .then(() -> drop("SRC_S001_MR3", "d-third"))
                .assertNext(o -> assertUploaded(o, "d-third"))
                .thenCancel()
                .verify(Duration.ofSeconds(60));

        for (String session : List.of("SRC_S001_MR1", "SRC_S001_MR2", "SRC_S001_MR3")) {
            assertThat(TestSupport.serverDigests(xnat, "ARCHIVE", "SRC_S001", session))
                    .hasSize(6)
                    .isEqualTo(TestSupport.serverDigests(source, "SRC", "SRC_S001", session));
        }
        assertThat(xnat.project("ARCHIVE").experiments().count().block()).isEqualTo(3);
    }

    @Test
    void aFolderWithoutItsMarkerWaitsAndCancellingStopsTheScans() {
        Sinks.Many<Long> scans = Sinks.many().multicast().directBestEffort();
        xnat.project("ARCHIVE2").create().block();
        var loop = IngestionLoop.ingest(xnat, inbox, "ARCHIVE2", scans.asFlux()).publishOn(Schedulers.boundedElastic());

        StepVerifier.create(loop)
                .then(() -> {
                    copyWithoutMarker("SRC_S001_MR1", "early");
                    drop("SRC_S001_MR2", "ready");
                    scans.tryEmitNext(1L);
                })
                // "early" comes first in name order, so this scan saw it and left it alone.
                .assertNext(o -> assertUploaded(o, "ready"))
                .then(() -> {
                    writeMarker("SRC_S001_MR1", "early");
                    scans.tryEmitNext(2L);
                })
                .assertNext(o -> assertUploaded(o, "early"))
                .thenCancel()
                .verify(Duration.ofSeconds(60));

        assertThat(scans.currentSubscriberCount())
                .as("disposing the loop stops its scans")
                .isZero();
        assertThat(scans.tryEmitNext(3L)).isEqualTo(Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER);
    }

    @Test
    void aFolderOfDicomFilesIsImportedThroughTheImportServiceOnceItIsReady() {
        xnat.project("DICOMP").create().block();
        var loop = IngestionLoop.importDicom(
                        xnat,
                        inbox,
                        ImportOptions.toArchive("DICOMP"),
                        Flux.interval(Duration.ZERO, Duration.ofMillis(50)))
                .publishOn(Schedulers.boundedElastic());

        StepVerifier.create(loop)
                .then(() -> {
                    copyWithoutMarker("SRC_S001_MR1", "study-1"); // the scanner's DICOM files, not yet READY
                    write(inbox.resolve("study-1").resolve(IngestionLoop.DICOM_READY_MARKER), "");
                })
                .assertNext(o -> {
                    assertThat(o.folder()).isEqualTo(inbox.resolve("study-1"));
                    assertThat(o.error()).isNull();
                    assertThat(o.succeeded()).as(String.valueOf(o.report())).isTrue();
                    assertThat(o.report().filesImported()).isEqualTo(6);
                    assertThat(o.report().studies()).hasSize(1);
                    assertThat(o.report().rejected())
                            .as("the marker is the one file that is not DICOM")
                            .singleElement()
                            .satisfies(r -> assertThat(r.file().getFileName().toString())
                                    .isEqualTo(IngestionLoop.DICOM_READY_MARKER));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(60));

        var sessions = xnat.project("DICOMP").experiments().collectList().block();
        assertThat(sessions).hasSize(1);
        assertThat(xnat.experiment(sessions.get(0).id()).scans().count().block())
                .isEqualTo(2);
    }

    private void assertUploaded(IngestionLoop.Outcome o, String folder) {
        assertThat(o.folder()).isEqualTo(inbox.resolve(folder));
        assertThat(o.error()).isNull();
        assertThat(o.succeeded()).isTrue();
        assertThat(o.report().files()).isEqualTo(6);
        assertThat(o.report().skipped()).isZero();
    }

    /** Copies a downloaded session into the inbox as a scanner would: its files first, the marker last. */
    private void drop(String session, String folder) {
        copyWithoutMarker(session, folder);
        writeMarker(session, folder);
    }

    private void copyWithoutMarker(String session, String folder) {
        Path from = staging.resolve("SRC/SRC_S001").resolve(session);
        Path to = inbox.resolve(folder);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("xnat-session.json")) {
                    Path target = to.resolve(from.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeMarker(String session, String folder) {
        try {
            Files.copy(
                    staging.resolve("SRC/SRC_S001").resolve(session).resolve("xnat-session.json"),
                    inbox.resolve(folder).resolve("xnat-session.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
