package io.github.xnatreactive.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * An in-body archive sent with {@code extract=true} is extracted while it arrives ({@link FileHandlers#IN_BODY_ARCHIVES}),
 * with no copy of the archive on disk, and leaves nothing behind when it fails; {@link ChunkStream} reads a body with
 * backpressure.
 */
class InBodyArchivesTest {
    @TempDir
    Path dir;

    Store store;

    @BeforeEach
    void store() {
        store = new Store("TEST", dir);
    }

    private static Call upload(String path, String query, String contentType) {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        if (contentType != null) {
            h.set("Content-Type", contentType);
        }
        Call c = new Call(
                "PUT",
                "/data/experiments/E1/resources/R/files/" + path + "?" + query,
                List.of("data", "experiments", "E1", "resources", "R", "files", path),
                false,
                Query.parse(query),
                h,
                "");
        c.vars = Map.of("experiment", "E1", "resource", "R", "path", path);
        return c;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] zip(Map<String, byte[]> entries, boolean stored) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                if (stored) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bo.toByteArray();
    }

    private List<Path> tmpEntries() throws IOException {
        Path tmp = dir.resolve("tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            return s.toList();
        }
    }

    /** Serves {@code body}, running {@code check} once, at the first read at or past {@code at}. */
    private static InputStream watched(byte[] body, long at, Runnable check) {
        return new InputStream() {
            int pos;
            boolean checked;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= at && !checked) {
                    checked = true;
                    check.run();
                }
                if (pos >= body.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 4096), body.length - pos);
                System.arraycopy(body, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void streamsOnlyInBodyArchivesSentWithExtract() {
        RouteTable.BodyReader r = FileHandlers.IN_BODY_ARCHIVES;
        assertThat(r.streams(upload("a.zip", "extract=true&inbody=true", "application/zip")))
                .isTrue();
        assertThat(r.streams(upload("a.tar.gz", "extract=true", "application/x-gzip")))
                .isTrue();
        assertThat(r.streams(upload("a.zip", "inbody=true", "application/zip"))).isFalse();
        assertThat(r.streams(upload("a.dcm", "extract=true&inbody=true", "application/octet-stream")))
                .isFalse();
        assertThat(r.streams(upload("a.zip", "extract=true", "multipart/form-data; boundary=x")))
                .isFalse();
        // an unsupported Content-Type without inbody=true is refused by the handler: spooled, as before
        assertThat(r.streams(upload("a.zip", "extract=true", "image/png"))).isFalse();
    }

    @Test
    void entriesAreExtractedWhileTheRestOfTheArchiveHasNotArrived() throws Exception {
        byte[] a = bytes(300_000, 1);
        byte[] b = bytes(300_000, 2);
        byte[] c = bytes(300_000, 3);
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("a.dcm", a);
        entries.put("sub/b.dcm", b);
        entries.put("c.dcm", c);
        byte[] zip = zip(entries, true);
        // by the time the reader asks for the bytes of the third entry, the first one is whole in the staging
        // folder, and no copy of the archive sits anywhere under the store's temporary folder
        long thirdEntry = indexOf(zip, c, 0);
        List<String> seen = new ArrayList<>();
        AtomicBoolean firstWhole = new AtomicBoolean();
        Object made = FileHandlers.IN_BODY_ARCHIVES.read(
                upload("all.zip", "extract=true&inbody=true", "application/zip"),
                store,
                watched(zip, thirdEntry, () -> {
                    try {
                        for (Path p : tmpEntries()) {
                            seen.add(p.getFileName().toString());
                            if (Files.isDirectory(p)) {
                                Path first = p.resolve("archive-0");
                                firstWhole.set(
                                        Files.exists(first) && java.util.Arrays.equals(Files.readAllBytes(first), a));
                            }
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
        assertThat(seen).singleElement().asString().startsWith("staging-");
        assertThat(firstWhole).isTrue();

        assertThat(made).isInstanceOf(FileHandlers.StagedArchive.class);
        FileHandlers.StagedArchive staged = (FileHandlers.StagedArchive) made;
        assertThat(staged.entries())
                .extracting(FileHandlers.Incoming::name)
                .containsExactly("a.dcm", "sub/b.dcm", "c.dcm");
        assertThat(staged.entries()).extracting(FileHandlers.Incoming::md5).containsExactly(md5(a), md5(b), md5(c));
        assertThat(Files.readAllBytes(staged.entries().get(2).file())).isEqualTo(c);
        ((AutoCloseable) made).close();
        assertThat(tmpEntries()).isEmpty();
    }

    private static String md5(byte[] b) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }

    private static long indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - 64; i++) {
            for (int j = 0; j < 64; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aBodyThatStopsMidArchiveLeavesNothingBehind() throws Exception {
        byte[] zip = zip(Map.of("a.dcm", bytes(200_000, 4), "b.dcm", bytes(200_000, 5)), true);
        InputStream cut = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos >= zip.length / 2) {
                    throw new IOException("connection reset");
                }
                return zip[pos++] & 0xff;
            }
        };
        assertThatThrownBy(() -> FileHandlers.IN_BODY_ARCHIVES.read(
                        upload("x.zip", "extract=true&inbody=true", "application/zip"), store, cut))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("connection reset");
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void anEntryOutsideTheResourceIsRefusedAndNothingIsLeft() throws Exception {
        Map<String, byte[]> evil = new java.util.LinkedHashMap<>();
        evil.put("good.dcm", bytes(1000, 6));
        evil.put("../evil.txt", bytes(10, 7));
        byte[] zip = zip(evil, false);
        assertThatThrownBy(() -> FileHandlers.IN_BODY_ARCHIVES.read(
                        upload("x.zip", "extract=true&inbody=true", "application/zip"),
                        store,
                        new java.io.ByteArrayInputStream(zip)))
                .isInstanceOf(XnatError.class)
                .hasMessageContaining("outside the resource");
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void aTruncatedArchiveIsABadRequest() throws Exception {
        byte[] zip = zip(Map.of("a.dcm", bytes(100_000, 8)), true);
        byte[] half = java.util.Arrays.copyOf(zip, zip.length / 2);
        assertThatThrownBy(() -> FileHandlers.IN_BODY_ARCHIVES.read(
                        upload("x.zip", "extract=true&inbody=true", "application/zip"),
                        store,
                        new java.io.ByteArrayInputStream(half)))
                .isInstanceOfSatisfying(
                        XnatError.class, e -> assertThat(e.status).isEqualTo(400));
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void aChunkStreamPullsAtMostItsPrefetchAheadOfTheReader() throws Exception {
        AtomicLong emitted = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<byte[]> body = Flux.<byte[]>generate(s -> {
                    emitted.incrementAndGet();
                    s.next(new byte[] {1, 2, 3});
                })
                .doOnCancel(() -> cancelled.set(true));
        ChunkStream in = new ChunkStream(body);
        byte[] buf = new byte[3];
        for (int i = 1; i <= 100; i++) {
            assertThat(in.read(buf, 0, 3)).isEqualTo(3);
            assertThat(emitted.get()).isLessThanOrEqualTo(i + ChunkStream.PREFETCH);
        }
        assertThat(in.total()).isEqualTo(300);
        in.close(); // a reader closing its streams does not stop the body
        assertThat(cancelled).isFalse();
        assertThat(in.read()).isEqualTo(1);
        in.cancel();
        assertThat(cancelled).isTrue();
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aChunkStreamTurnsAFailedBodyIntoAnIOExceptionAndDrainsToTheEnd() throws Exception {
        ChunkStream failed = new ChunkStream(
                Flux.just(new byte[] {1}).concatWith(Flux.error(new IllegalStateException("peer closed"))));
        assertThatThrownBy(failed::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("peer closed");

        ChunkStream whole = new ChunkStream(Flux.range(0, 50).map(i -> new byte[10]));
        assertThat(whole.read(new byte[5], 0, 5)).isEqualTo(5);
        whole.drain();
        assertThat(whole.total()).isEqualTo(500);
        assertThat(whole.read()).isEqualTo(-1);
    }
}
