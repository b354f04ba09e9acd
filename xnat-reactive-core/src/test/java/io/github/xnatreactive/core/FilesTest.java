package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Uploads, verified downloads, archives and their failure modes, over real HTTP. */
class FilesTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x2x3x64K")));

    static XnatClient c;
    static ExperimentRef mr;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .retryPolicy(RetryPolicy.defaults()
                        .maxAttempts(8)
                        .initialBackoff(Duration.ofMillis(5))
                        .maxBackoff(Duration.ofMillis(20)))
                .build();
        mr = c.project("DEMO").subject("DEMO_S001").experiment("DEMO_S001_MR1");
    }

    @AfterAll
    static void close() {
        c.close();
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The bytes of a file as the testkit stores them. */
    static Path stored(FileEntry e) {
        return xnat.server()
                .dataDir()
                .resolve("archive")
                .resolve(e.column("cat_ID"))
                .resolve(e.path());
    }

    static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    // ------------------------------------------------------------------ uploads

    @Test
    void uploadFromPathWithMetadataIsListedBack() throws Exception {
        byte[] bytes = random(100_000, 1);
        Path src = Files.write(tmp.resolve("notes.bin"), bytes);
        ResourceRef r = c.project("DEMO").resource("UP1");
        FileRef f = r.file("dir/notes.bin");
        assertThat(f.exists().block()).isFalse();
        UploadResult res = f.upload(
                        src,
                        UploadOptions.defaults().format("BIN").content("NOTES").tags("site=A", "raw"))
                .block();
        assertThat(res.stored()).isTrue();
        assertThat(res.path()).isEqualTo("dir/notes.bin");
        assertThat(f.exists().block()).isTrue();

        FileEntry e = f.entry().block();
        assertThat(e.name()).isEqualTo("notes.bin");
        assertThat(e.path()).isEqualTo("dir/notes.bin");
        assertThat(e.size()).isEqualTo(bytes.length);
        assertThat(e.digest()).isEqualTo(md5(bytes));
        assertThat(e.format()).isEqualTo("BIN");
        assertThat(e.content()).isEqualTo("NOTES");
        assertThat(e.tags()).contains("site=A").contains("raw");
        assertThat(e.collection()).isEqualTo("UP1");
        assertThat(r.exists().block()).isTrue();
        assertThat(c.project("DEMO")
                        .resources()
                        .map(Resource::label)
                        .collectList()
                        .block())
                .contains("UP1");

        Path out = f.download(tmp.resolve("out/notes.bin")).block();
        assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
        assertThat(partFiles(tmp.resolve("out"))).isEmpty();
    }

    @Test
    void uploadFromAPublisherOfKnownLength() throws Exception {
        byte[] bytes = random(300_000, 2);
        Flux<ByteBuffer> chunks = Flux.range(0, 3).map(i -> ByteBuffer.wrap(bytes, i * 100_000, 100_000));
        FileRef f = c.project("DEMO").subject("DEMO_S001").resource("UP2").file("stream.bin");
        assertThat(f.upload(chunks, bytes.length, UploadOptions.defaults())
                        .block()
                        .stored())
                .isTrue();
        FileEntry e = f.entry().block();
        assertThat(e.size()).isEqualTo(bytes.length);
        assertThat(e.digest()).isEqualTo(md5(bytes));
        assertThatThrownBy(() -> f.upload(chunks, -1, UploadOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reUploadKeepsOrReplacesTheOldBytes() throws Exception {
        byte[] v1 = "version one".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "version two, longer".getBytes(StandardCharsets.UTF_8);
        FileRef f = mr.resource("DUP").file("a.txt");
        assertThat(f.upload(Files.write(tmp.resolve("v1"), v1), UploadOptions.defaults())
                        .block()
                        .stored())
                .isTrue();

        UploadResult dup = f.upload(Files.write(tmp.resolve("v2"), v2), UploadOptions.defaults())
                .block();
        assertThat(dup.stored()).isFalse();
        assertThat(dup.duplicates()).containsExactly("a.txt");
        assertThat(f.entry().block().digest()).isEqualTo(md5(v1));
        assertThat(bytesOf(f)).isEqualTo(v1);

        UploadResult over = f.upload(tmp.resolve("v2"), UploadOptions.defaults().overwrite(true))
                .block();
        assertThat(over.stored()).isTrue();
        FileEntry e = f.entry().block();
        assertThat(e.size()).isEqualTo(v2.length);
        assertThat(e.digest()).isEqualTo(md5(v2));
        assertThat(bytesOf(f)).isEqualTo(v2);
    }

    static byte[] bytesOf(FileRef f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.content()
                .doOnNext(b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining()))
                .blockLast();
        return out.toByteArray();
    }

    @Test
    void existsAndDelete() throws Exception {
        ResourceRef r = mr.resource("DEL");
        FileRef f = r.file("x.txt");
        f.upload(Flux.just(ByteBuffer.wrap(new byte[] {1, 2, 3})), 3, UploadOptions.defaults())
                .block();
        r.file("y.txt")
                .upload(Flux.just(ByteBuffer.wrap(new byte[] {4})), 1, UploadOptions.defaults())
                .block();
        assertThat(f.exists().block()).isTrue();
        assertThat(r.file("nope.txt").exists().block()).isFalse();
        f.delete().block();
        assertThat(f.exists().block()).isFalse();
        assertThat(r.files().map(FileEntry::path).collectList().block()).containsExactly("y.txt");
        assertThatThrownBy(() -> f.download(tmp.resolve("gone")).block()).isInstanceOf(XnatNotFoundException.class);
        assertThat(tmp.resolve("gone")).doesNotExist();
        // without a listing entry the 404 comes from the GET itself
        assertThatThrownBy(() -> f.download(tmp.resolve("gone2/x.txt"), 3, null).block())
                .isInstanceOf(XnatNotFoundException.class);
        assertThat(tmp.resolve("gone2/x.txt")).doesNotExist();
        assertThat(Files.isDirectory(tmp.resolve("gone2")) ? partFiles(tmp.resolve("gone2")) : List.of())
                .isEmpty();
        assertThatThrownBy(() -> f.delete().block()).isInstanceOf(XnatNotFoundException.class);
        r.delete().block();
        assertThat(r.exists().block()).isFalse();
    }

    // ------------------------------------------------------------------ downloads

    @Test
    void downloadIsVerifiedBySizeAndMd5() throws Exception {
        ResourceRef dicom = mr.scan("1").resource("DICOM");
        List<FileEntry> files = dicom.files().collectList().block();
        assertThat(files).hasSize(3);
        for (FileEntry e : files) {
            Path out = dicom.file(e.path())
                    .download(tmp.resolve("dl").resolve(e.name()), e)
                    .block();
            byte[] got = Files.readAllBytes(out);
            assertThat(got).hasSize(64 * 1024);
            assertThat(md5(got)).isEqualTo(e.digest());
            assertThat(got).isEqualTo(Files.readAllBytes(stored(e)));
        }
        assertThat(partFiles(tmp)).isEmpty();
    }

    @Test
    void contentEqualsTheFile() throws Exception {
        FileEntry e = mr.scan("2").resource("DICOM").files().blockFirst();
        byte[] got = bytesOf(mr.scan("2").resource("DICOM").file(e.path()));
        assertThat(got).isEqualTo(Files.readAllBytes(stored(e)));
    }

    @Test
    void digestMismatchLeavesNothingBehind() throws Exception {
        byte[] bytes = random(50_000, 3);
        FileRef f = mr.resource("TAMPER").file("t.bin");
        f.upload(Files.write(tmp.resolve("t.bin"), bytes), UploadOptions.defaults())
                .block();
        FileEntry e = f.entry().block();
        // same size, different bytes: only the MD5 can tell
        byte[] evil = bytes.clone();
        evil[25_000] ^= 0x5a;
        Files.write(stored(e), evil);

        Path target = tmp.resolve("tampered/t.bin");
        assertThatThrownBy(() -> f.download(target).block())
                .isInstanceOf(XnatIntegrityException.class)
                .hasMessageContaining("MD5");
        assertThat(target).doesNotExist();
        assertThat(partFiles(tmp.resolve("tampered"))).isEmpty();

        // and a size mismatch against the listing is an integrity error too
        assertThatThrownBy(() -> f.download(target, bytes.length + 1L, null).block())
                .isInstanceOf(XnatIntegrityException.class);
        assertThat(target).doesNotExist();
        assertThat(partFiles(tmp.resolve("tampered"))).isEmpty();
    }

    @Test
    void truncatedBodiesAreRetried() throws Exception {
        ResourceRef dicom = mr.scan("1").resource("DICOM");
        List<FileEntry> files = dicom.files().collectList().block();
        long before = xnat.server().injectedFaults();
        xnat.server().faults(FaultSpec.parse("drop=0.5,drop-after=1000,seed=3"));
        try {
            for (int round = 0; round < 2; round++) {
                for (FileEntry e : files) {
                    Path out = dicom.file(e.path())
                            .download(tmp.resolve("r" + round).resolve(e.name()))
                            .block();
                    assertThat(md5(Files.readAllBytes(out))).isEqualTo(e.digest());
                    // a stream of buffers is resumed, not repeated, after a cut
                    assertThat(md5(bytesOf(dicom.file(e.path())))).isEqualTo(e.digest());
                }
            }
        } finally {
            xnat.server().faults(FaultSpec.none());
        }
        assertThat(xnat.server().injectedFaults()).isGreaterThan(before);
        assertThat(partFiles(tmp)).isEmpty();
    }

    /** A server that logs in, then sends half of a file's declared bytes and stalls. */
    static DisposableServer stallingServer(int size) {
        return HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(r -> r.get("/data/JSESSION", (req, res) -> res.header("Set-Cookie", "JSESSIONID=s1; Path=/")
                                .sendString(Mono.just("s1")))
                        .get("/data/projects/P/resources/R/files/big.bin", (req, res) -> res.header(
                                        "Content-Length", Integer.toString(size))
                                .header("Content-Disposition", "attachment; filename=\"big.bin\"")
                                .send(Flux.concat(
                                        Mono.fromSupplier(() -> Unpooled.wrappedBuffer(new byte[size / 2])),
                                        Mono.never()))))
                .bindNow();
    }

    @Test
    void cancelledDownloadRemovesThePartialFile() throws Exception {
        // 4 MiB: above FileRef.SMALL_BODY, so the body streams to a temporary file (smaller bodies are received
        // whole in memory and never leave a partial file)
        DisposableServer server = stallingServer(4 << 20);
        try (XnatClient s = XnatClient.builder()
                .serverUrl("http://127.0.0.1:" + server.port())
                .credentials(Credentials.password("u", "p"))
                .build()) {
            Path dir = Files.createDirectories(tmp.resolve("cancel"));
            Path target = dir.resolve("big.bin");
            Disposable d = s.project("P")
                    .resource("R")
                    .file("big.bin")
                    .download(target, 4 << 20, null)
                    .subscribe();
            // wait until half the file is on disk in the temporary file
            Flux.interval(Duration.ofMillis(10))
                    .filter(i -> partFilesUnchecked(dir).stream().anyMatch(FilesTest::halfWritten))
                    .blockFirst(Duration.ofSeconds(30));
            d.dispose();
            assertThat(partFiles(dir)).isEmpty();
            assertThat(target).doesNotExist();
        } finally {
            server.disposeNow();
        }
    }

    static List<Path> partFilesUnchecked(Path dir) {
        try {
            return partFiles(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean halfWritten(Path p) {
        try {
            return Files.size(p) >= (2 << 20);
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ archives

    @Test
    void uploadArchiveExtractsMembers() throws Exception {
        Path zip = tmp.resolve("bundle.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.write("alpha".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("sub/b.txt"));
            z.write("beta".getBytes(StandardCharsets.UTF_8));
        }
        ResourceRef r = mr.resource("ZIPPED");
        UploadResult res = r.uploadArchive(zip, UploadOptions.defaults()).block();
        assertThat(res.stored()).isTrue();
        assertThat(r.files().map(FileEntry::path).collectList().block())
                .containsExactlyInAnyOrder("a.txt", "sub/b.txt");
        assertThat(bytesOf(r.file("sub/b.txt"))).isEqualTo("beta".getBytes(StandardCharsets.UTF_8));
        // again without overwrite: both are duplicates
        assertThat(r.uploadArchive(zip, UploadOptions.defaults()).block().duplicates())
                .containsExactlyInAnyOrder("a.txt", "sub/b.txt");
    }

    @Test
    void downloadScansExtractsXnatsLayout() throws Exception {
        Path dir = tmp.resolve("scans");
        List<Path> written = mr.downloadScans(dir).block();
        assertThat(written).hasSize(6);
        for (Scan scan : mr.scans().collectList().block()) {
            for (FileEntry e :
                    mr.scan(scan.id()).resource("DICOM").files().collectList().block()) {
                Path p = dir.resolve(
                        "DEMO_S001_MR1/scans/" + scan.id() + "-" + scan.type() + "/resources/DICOM/files/" + e.path());
                assertThat(written).contains(p);
                assertThat(Files.readAllBytes(p)).isEqualTo(Files.readAllBytes(stored(e)));
            }
        }
        // by type
        List<Path> t2 = mr.downloadScans(tmp.resolve("t2"), "T2w").block();
        assertThat(t2).hasSize(3).allSatisfy(p -> assertThat(p.toString()).contains("/scans/2-T2w/"));
        assertThat(partFiles(tmp)).isEmpty();
    }

    @Test
    void resourceArchiveDownload() throws Exception {
        ResourceRef dicom = mr.scan("1").resource("DICOM");
        List<Path> written = dicom.downloadArchive(tmp.resolve("res")).block();
        assertThat(written).hasSize(3);
        for (FileEntry e : dicom.files().collectList().block()) {
            Path p = tmp.resolve("res/DEMO_S001_MR1/scans/1-T1w/resources/DICOM/files/" + e.path());
            assertThat(Files.readAllBytes(p)).isEqualTo(Files.readAllBytes(stored(e)));
        }
    }

    @Test
    void zipSlipIsRefused() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(buf)) {
            z.putNextEntry(new ZipEntry("ok/a.txt"));
            z.write("fine".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("../../evil"));
            z.write("evil".getBytes(StandardCharsets.UTF_8));
        }
        byte[] zip = buf.toByteArray();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(r -> r.get("/data/JSESSION", (req, res) -> res.header("Set-Cookie", "JSESSIONID=s1; Path=/")
                                .sendString(Mono.just("s1")))
                        .get("/data/projects/P/resources/R/files", (req, res) -> res.header(
                                        "Content-Type", "application/zip")
                                .header("Content-Disposition", "attachment; filename=\"P.zip\"")
                                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(zip)))))
                .bindNow();
        try (XnatClient s = XnatClient.builder()
                .serverUrl("http://127.0.0.1:" + server.port())
                .credentials(Credentials.password("u", "p"))
                .build()) {
            Path target = tmp.resolve("a/b/out");
            assertThatThrownBy(() ->
                            s.project("P").resource("R").downloadArchive(target).block())
                    .isInstanceOf(XnatProtocolException.class)
                    .hasMessageContaining("../../evil");
            assertThat(tmp.resolve("a/evil")).doesNotExist();
            try (Stream<Path> all = Files.walk(tmp)) {
                assertThat(all.filter(p -> p.getFileName().toString().contains("evil")))
                        .isEmpty();
            }
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void cancelledArchiveDownloadStopsExtractingAndRemovesThePartialEntry() throws Exception {
        // a STORED zip entry of 1 MiB of which the server sends only the first half, then stalls
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] big = random(1 << 20, 6);
        try (ZipOutputStream z = new ZipOutputStream(buf)) {
            z.putNextEntry(new ZipEntry("S/resources/R/files/big.bin"));
            z.write(big);
        }
        byte[] half = java.util.Arrays.copyOf(buf.toByteArray(), (1 << 19) + 100);
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(r -> r.get("/data/JSESSION", (req, res) -> res.header("Set-Cookie", "JSESSIONID=s1; Path=/")
                                .sendString(Mono.just("s1")))
                        .get("/data/projects/P/resources/R/files", (req, res) -> res.header(
                                        "Content-Type", "application/zip")
                                .header("Content-Disposition", "attachment; filename=\"P.zip\"")
                                .send(Flux.concat(
                                        Mono.fromSupplier(() -> Unpooled.wrappedBuffer(half)), Mono.never()))))
                .bindNow();
        try (XnatClient s = XnatClient.builder()
                .serverUrl("http://127.0.0.1:" + server.port())
                .credentials(Credentials.password("u", "p"))
                .build()) {
            Path dir = tmp.resolve("zcancel");
            Disposable d = s.project("P").resource("R").downloadArchive(dir).subscribe();
            Flux.interval(Duration.ofMillis(10))
                    .filter(i -> Files.isDirectory(dir)
                            && partFilesUnchecked(dir).stream().anyMatch(p -> sizeOf(p) > 0))
                    .blockFirst(Duration.ofSeconds(30));
            d.dispose();
            // the extracting thread must wake up, give up and delete its partial entry
            Flux.interval(Duration.ofMillis(10))
                    .filter(i -> partFilesUnchecked(dir).isEmpty())
                    .blockFirst(Duration.ofSeconds(10));
            assertThat(partFiles(dir)).isEmpty();
            assertThat(dir.resolve("S/resources/R/files/big.bin")).doesNotExist();
        } finally {
            server.disposeNow();
        }
    }

    static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ in/out resources

    @Test
    void assessorAndReconstructionResources() throws Exception {
        AssessorRef qc = mr.assessor("QCF");
        qc.create("xnat:qcManualAssessorData", Map.of()).block();
        ReconstructionRef rc = mr.reconstruction("RCF");
        rc.create("xnat:reconstructedImageData", Map.of()).block();
        byte[] in = random(10_000, 4);
        byte[] out = random(20_000, 5);
        qc.inResource("IN")
                .file("in.bin")
                .upload(Files.write(tmp.resolve("in"), in), UploadOptions.defaults())
                .block();
        qc.outResource("OUT")
                .file("out.bin")
                .upload(Files.write(tmp.resolve("out"), out), UploadOptions.defaults())
                .block();
        rc.outResource("ROUT")
                .file("r.bin")
                .upload(tmp.resolve("out"), UploadOptions.defaults())
                .block();
        rc.resource("PLAIN")
                .file("p.bin")
                .upload(tmp.resolve("in"), UploadOptions.defaults())
                .block();

        assertThat(qc.inResources().map(Resource::label).collectList().block()).containsExactly("IN");
        assertThat(qc.outResources().map(Resource::label).collectList().block()).containsExactly("OUT");
        assertThat(rc.outResources().map(Resource::label).collectList().block()).containsExactly("ROUT");
        assertThat(rc.inResources().collectList().block()).isEmpty();
        assertThat(rc.resources().map(Resource::label).collectList().block()).contains("PLAIN");
        assertThat(qc.outResource("OUT").file("out.bin").entry().block().uri()).contains("/out/resources/");

        Path a = qc.outResource("OUT")
                .file("out.bin")
                .download(tmp.resolve("d/out.bin"))
                .block();
        assertThat(Files.readAllBytes(a)).isEqualTo(out);
        Path b = qc.inResource("IN")
                .file("in.bin")
                .download(tmp.resolve("d/in.bin"))
                .block();
        assertThat(Files.readAllBytes(b)).isEqualTo(in);
        Path r = rc.outResource("ROUT")
                .file("r.bin")
                .download(tmp.resolve("d/r.bin"))
                .block();
        assertThat(Files.readAllBytes(r)).isEqualTo(out);
        List<Path> zipped =
                qc.outResource("OUT").downloadArchive(tmp.resolve("qczip")).block();
        assertThat(zipped).singleElement().satisfies(p -> {
            assertThat(p.getFileName().toString()).isEqualTo("out.bin");
            assertThat(Files.readAllBytes(p)).isEqualTo(out);
        });
    }
}
