package io.github.xnatreactive.bulk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.core.XnatProtocolException;
import io.github.xnatreactive.core.internal.BufferQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The zip extractor on crafted archives (zip-slip, cut streams, wrong entries) and the streaming zip writer. */
class ArchivesTest {
    static final String PREFIX = "MR1/scans/1-T1w/resources/DICOM/files/";

    record Named(String name) implements Work {
        @Override
        public TransferItem item() {
            return new TransferItem(name, name, -1, "");
        }

        @Override
        public boolean upToDate() {
            return false;
        }

        @Override
        public Mono<Void> transfer(LongConsumer bytes) {
            return Mono.error(new UnsupportedOperationException("not in this test"));
        }
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(stored(e.getKey(), e.getValue()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** A STORED entry with its size and CRC-32 in the local header (XNAT's way). */
    static ZipEntry stored(String name, byte[] data) {
        ZipEntry ze = new ZipEntry(name);
        ze.setMethod(ZipEntry.STORED);
        ze.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        ze.setCrc(crc.getValue());
        return ze;
    }

    static String md5(byte[] b) {
        return HexFormat.of().formatHex(LocalFiles.newMd5().digest(b));
    }

    static byte[] bytes(String s, int n) {
        return s.repeat(n).getBytes(StandardCharsets.UTF_8);
    }

    Map<String, Archives.Expected> expect(Path folder, Map<String, byte[]> files) {
        Map<String, Archives.Expected> m = new HashMap<>();
        files.forEach(
                (rel, b) -> m.put(rel, new Archives.Expected(folder.resolve(rel), b.length, md5(b), new Named(rel))));
        return m;
    }

    static List<String> all(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    /** How an archive reaches the extraction: a stream (ZipInputStream), or network-like buffers of some size. */
    enum Feed {
        STREAM(0),
        BUFFERS_OF_7_BYTES(7),
        BUFFERS_OF_64_KIB(1 << 16),
        /** Every entry handed to helper threads, and written by this thread too once two wait. */
        BUFFERS_OF_64_KIB_WITH_HELPERS(1 << 16, new StreamingUnzip.Tuning(1 << 20, 2, 1 << 20, 0, 2, false)),
        /** One entry at a time waits: the reading thread writes most of them itself, as when helpers start late. */
        BUFFERS_OF_7_BYTES_WITH_A_HELPER(7, new StreamingUnzip.Tuning(1 << 20, 1, 4000, 0, 1, false)),
        /** Entries hashed together in SIMD lanes by the reading thread alone, each spread over many buffers. */
        BUFFERS_OF_7_BYTES_IN_LANES(7, new StreamingUnzip.Tuning(1 << 20, 16, 16 << 20, Long.MAX_VALUE, 1, true)),
        /** Entries hashed together in lanes by helpers, and by the reading thread once two wait. */
        BUFFERS_OF_64_KIB_IN_LANES_WITH_HELPERS(1 << 16, new StreamingUnzip.Tuning(1 << 20, 2, 1 << 20, 0, 2, true));

        final int chunk;
        final StreamingUnzip.Tuning tuning;

        Feed(int chunk) {
            this(chunk, StreamingUnzip.Tuning.DEFAULT);
        }

        Feed(int chunk, StreamingUnzip.Tuning tuning) {
            this.chunk = chunk;
            this.tuning = tuning;
        }
    }

    /** Buffers handed to the extraction in one run, to check that each was released. */
    final List<ByteBuf> fed = new ArrayList<>();

    void extract(Feed feed, byte[] zip, Map<String, Archives.Expected> expected, List<Work> verified)
            throws IOException {
        if (feed == Feed.STREAM) {
            Archives.extract(new ByteArrayInputStream(zip), "DICOM", expected, verified::add);
            return;
        }
        BufferQueue q = new BufferQueue(4);
        // buffers made as they are requested; as Reactor Netty does, the producer releases its own reference once
        // onNext returns
        Flux.range(0, (zip.length + feed.chunk - 1) / feed.chunk)
                .map(i -> {
                    int at = i * feed.chunk;
                    ByteBuf b = Unpooled.wrappedBuffer(zip, at, Math.min(feed.chunk, zip.length - at));
                    fed.add(b);
                    return b;
                })
                .subscribe(new reactor.core.CoreSubscriber<ByteBuf>() {
                    @Override
                    public void onSubscribe(org.reactivestreams.Subscription s) {
                        q.onSubscribe(s);
                    }

                    @Override
                    public void onNext(ByteBuf b) {
                        q.onNext(b);
                        b.release();
                    }

                    @Override
                    public void onError(Throwable t) {
                        q.onError(t);
                    }

                    @Override
                    public void onComplete() {
                        q.onComplete();
                    }
                });
        try {
            // helpers tell of verified files from their own threads
            StreamingUnzip.extract(
                    q,
                    "DICOM",
                    expected,
                    w -> {
                        synchronized (verified) {
                            verified.add(w);
                        }
                    },
                    feed.tuning);
        } finally {
            q.cancel();
        }
    }

    @AfterEach
    void everyBufferWasReleased() {
        assertThat(fed).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void verifiedEntriesAreMovedIntoPlaceAndWrongOnesAreNot(Feed feed, @TempDir Path dir) throws Exception {
        Path folder = dir.resolve("files");
        Map<String, byte[]> want = new java.util.LinkedHashMap<>();
        want.put("a.dcm", bytes("a", 1000));
        want.put("sub/b.dcm", bytes("b", 2000));
        want.put("c.dcm", bytes("c", 10));
        Map<String, byte[]> sent = new java.util.LinkedHashMap<>();
        sent.put(PREFIX + "a.dcm", want.get("a.dcm"));
        sent.put(PREFIX + "sub/b.dcm", bytes("B", 2000)); // same size, other bytes
        sent.put(PREFIX + "extra.dcm", bytes("x", 5)); // not listed
        List<Work> verified = new ArrayList<>();
        extract(feed, zip(sent), expect(folder, want), verified);

        assertThat(verified).extracting(w -> w.item().source()).containsExactly("a.dcm");
        assertThat(Files.readAllBytes(folder.resolve("a.dcm"))).isEqualTo(want.get("a.dcm"));
        assertThat(all(dir)).containsExactly("files/a.dcm");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void aZipSlipEntryIsRefusedAndNothingLandsOutsideTheFolder(Feed feed, @TempDir Path dir) throws Exception {
        Path folder = dir.resolve("dest/files");
        Map<String, byte[]> want = Map.of("a.dcm", bytes("a", 100), "evil", bytes("e", 10));
        Map<String, byte[]> sent = new java.util.LinkedHashMap<>();
        sent.put(PREFIX + "a.dcm", want.get("a.dcm"));
        sent.put(PREFIX + "../../../../../evil", want.get("evil"));
        List<Work> verified = new ArrayList<>();
        byte[] zip = zip(sent);
        assertThatThrownBy(() -> extract(feed, zip, expect(folder, want), verified))
                .isInstanceOf(XnatProtocolException.class)
                .hasMessageContaining("zip-slip");
        assertThat(verified).extracting(w -> w.item().source()).containsExactly("a.dcm");
        assertThat(all(dir)).containsExactly("dest/files/a.dcm");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void aStreamCutMidEntryKeepsWhatWasVerifiedAndNoPartialFile(Feed feed, @TempDir Path dir) throws Exception {
        Path folder = dir.resolve("files");
        Map<String, byte[]> want = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            want.put(i + ".dcm", bytes(Integer.toString(i), 5000));
        }
        Map<String, byte[]> sent = new java.util.LinkedHashMap<>();
        want.forEach((k, v) -> sent.put(PREFIX + k, v));
        byte[] whole = zip(sent);
        byte[] cut = Arrays.copyOf(whole, 2 * 5000 + 2500); // in the middle of the third entry
        List<Work> verified = new ArrayList<>();
        assertThatThrownBy(() -> extract(feed, cut, expect(folder, want), verified))
                .isInstanceOf(IOException.class);
        assertThat(verified).extracting(w -> w.item().source()).containsExactlyInAnyOrder("0.dcm", "1.dcm");
        assertThat(all(dir)).containsExactly("files/0.dcm", "files/1.dcm");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void anEntryThatCannotBeMovedIntoPlaceFailsTheArchiveAndLeavesNoTemporaryFile(Feed feed, @TempDir Path dir)
            throws Exception {
        Path folder = dir.resolve("files");
        Map<String, byte[]> want = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            want.put(i + ".dcm", bytes(Integer.toString(i), 4000));
        }
        // a folder that is not empty where 2.dcm goes: moving the verified file into place fails (on a helper
        // thread when the feed has helpers, which must fail the extraction all the same)
        Files.createDirectories(folder.resolve("2.dcm/inside"));
        Map<String, byte[]> sent = new java.util.LinkedHashMap<>();
        want.forEach((k, v) -> sent.put(PREFIX + k, v));
        List<Work> verified = new ArrayList<>();
        byte[] zip = zip(sent);
        assertThatThrownBy(() -> extract(feed, zip, expect(folder, want), verified))
                .isInstanceOf(IOException.class);
        assertThat(verified)
                .extracting(w -> w.item().source())
                .doesNotContain("2.dcm")
                .contains("0.dcm", "1.dcm");
        for (Work w : verified) {
            assertThat(Files.readAllBytes(folder.resolve(w.item().source())))
                    .isEqualTo(want.get(w.item().source()));
        }
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void compressedEntriesAndEntriesWithTrailingSizesAreExtractedAndVerifiedToo(Feed feed, @TempDir Path dir)
            throws Exception {
        Path folder = dir.resolve("files");
        Map<String, byte[]> want = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            want.put(i + ".dcm", bytes("v" + i, 3000 + i));
        }
        // two STORED entries with their sizes in the header, then DEFLATED ones (sizes after the data)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            int i = 0;
            for (var e : want.entrySet()) {
                z.putNextEntry(i++ < 2 ? stored(PREFIX + e.getKey(), e.getValue()) : new ZipEntry(PREFIX + e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        List<Work> verified = new ArrayList<>();
        Map<String, Archives.Expected> expected = expect(folder, want);
        extract(feed, out.toByteArray(), expected, verified);

        assertThat(verified).extracting(w -> w.item().source()).containsExactlyInAnyOrderElementsOf(want.keySet());
        assertThat(expected).isEmpty();
        for (var e : want.entrySet()) {
            assertThat(Files.readAllBytes(folder.resolve(e.getKey()))).isEqualTo(e.getValue());
        }
        assertThat(all(dir)).hasSize(want.size()); // no temporary left
    }

    @Test
    void aBodyThatFailsMidEntryLeavesNoPartialFileAndReleasesWhatWasQueued(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("files");
        Map<String, byte[]> want = new java.util.LinkedHashMap<>();
        want.put("a.dcm", bytes("a", 5000));
        want.put("b.dcm", bytes("b", 5000));
        Map<String, byte[]> sent = new java.util.LinkedHashMap<>();
        want.forEach((k, v) -> sent.put(PREFIX + k, v));
        byte[] zip = zip(sent);
        ByteBuf first = Unpooled.wrappedBuffer(Arrays.copyOf(zip, 5000 + 2000)); // a whole, half of b
        fed.add(first);
        BufferQueue q = new BufferQueue(4);
        Flux.concat(Flux.just(first), Flux.<ByteBuf>error(new IOException("connection reset")))
                .subscribe(q);
        List<Work> verified = new ArrayList<>();
        assertThatThrownBy(() -> StreamingUnzip.extract(q, "DICOM", expect(folder, want), verified::add))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("connection reset");
        q.cancel();
        first.release(); // the producer's own reference (no Netty here to drop it)
        assertThat(verified).extracting(w -> w.item().source()).containsExactly("a.dcm");
        assertThat(all(dir)).containsExactly("files/a.dcm");
    }

    @Test
    void theZipWriterStreamsExactlyTheLengthItAnnouncesAndAnyReaderReadsIt(@TempDir Path dir) throws Exception {
        List<ZipWriter.Entry> entries = new ArrayList<>();
        Map<String, byte[]> content = new java.util.LinkedHashMap<>();
        String[] names = {"a.dcm", "sub/é.dcm", "empty.txt", "big.bin"};
        int[] sizes = {1000, 3, 0, 600_000};
        for (int i = 0; i < names.length; i++) {
            byte[] b = new byte[sizes[i]];
            Arrays.fill(b, (byte) (i + 1));
            Path f = dir.resolve("f" + i);
            Files.write(f, b);
            LocalFiles.Stat st = LocalFiles.statNow(f);
            entries.add(new ZipWriter.Entry(names[i], st.size(), st.crc(), f));
            content.put(names[i], b);
        }
        byte[] zip = materialize(ZipWriter.fromFiles(entries).collectList().block());
        assertThat((long) zip.length).isEqualTo(ZipWriter.length(entries));
        assertThat(unzip(zip)).containsOnlyKeys(content.keySet());
        unzip(zip).forEach((k, v) -> assertThat(v).as(k).isEqualTo(content.get(k)));
        // and its central directory is right for readers that start from the end
        try (java.util.zip.ZipFile zf = new java.util.zip.ZipFile(
                Files.write(dir.resolve("out.zip"), zip).toFile())) {
            assertThat(zf.size()).isEqualTo(names.length);
            for (String n : names) {
                assertThat(zf.getInputStream(zf.getEntry(n)).readAllBytes()).isEqualTo(content.get(n));
            }
        }

        // entries read one by one from elsewhere (a mirror's source) make the same archive
        var it = content.entrySet().iterator();
        byte[] again = concat(ZipWriter.fromEntries(() -> it.hasNext() ? next(it.next()) : null, content.size())
                .collectList()
                .block());
        assertThat(again).isEqualTo(zip);
    }

    @Test
    void filesCheckedWithABudgetKeepTheirBytesAndTheZipOfThemIsTheZipOfTheFiles(@TempDir Path dir) throws Exception {
        int[] sizes = {1000, 3, 0, 600_000, 16_384, 16_384, 7, 20_000, 1 << 20, (1 << 20) + 1};
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[sizes[i]];
            new java.util.Random(i).nextBytes(b);
            files.add(Files.write(dir.resolve("f" + i), b));
        }
        long kept = 0;
        for (int s : sizes) {
            kept += s <= LocalFiles.LANE_FILE_MAX ? s : 0;
        }
        for (int lanes : new int[] {0, Md5Lanes.lanesIfSupported()}) {
            LocalFiles.Budget budget = new LocalFiles.Budget(10L << 20);
            LocalFiles.Stat[] stats = LocalFiles.statAll(files, lanes, budget);
            List<ZipWriter.Entry> fromFiles = new ArrayList<>();
            List<ZipWriter.Entry> fromBytes = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                LocalFiles.Stat plain = LocalFiles.statNow(files.get(i));
                assertThat(stats[i].md5()).as("lanes %d, file %d", lanes, i).isEqualTo(plain.md5());
                assertThat(stats[i].crc()).isEqualTo(plain.crc());
                assertThat(stats[i].size()).isEqualTo(sizes[i]);
                if (sizes[i] <= LocalFiles.LANE_FILE_MAX) {
                    assertThat(stats[i].bytes()).isEqualTo(Files.readAllBytes(files.get(i)));
                } else {
                    assertThat(stats[i].bytes())
                            .as("larger than a lane's file: not kept")
                            .isNull();
                }
                fromFiles.add(new ZipWriter.Entry("e" + i, plain.size(), plain.crc(), files.get(i)));
                fromBytes.add(
                        new ZipWriter.Entry("e" + i, stats[i].size(), stats[i].crc(), files.get(i), stats[i].bytes()));
            }
            assertThat(budget.used())
                    .as("what the checks kept, taken from the budget")
                    .isEqualTo(kept);
            assertThat(materialize(ZipWriter.fromFiles(fromBytes).collectList().block()))
                    .isEqualTo(materialize(
                            ZipWriter.fromFiles(fromFiles).collectList().block()));
        }

        // a budget without room keeps nothing, and the figures are the same
        LocalFiles.Budget small = new LocalFiles.Budget(1500);
        LocalFiles.Stat[] stats = LocalFiles.statAll(files, 0, small);
        assertThat(stats[0].bytes()).hasSize(1000);
        assertThat(stats[3].bytes()).as("no room left for 600,000 bytes").isNull();
        assertThat(stats[3].md5()).isEqualTo(LocalFiles.statNow(files.get(3)).md5());
        assertThat(small.used()).isEqualTo(1000 + 3 + 0 + 7);
    }

    @Test
    void aKeptFileGoesAsItWasCheckedAndHashedEvenWhenItChangesLater(@TempDir Path dir) throws Exception {
        byte[] checked = new byte[100];
        Arrays.fill(checked, (byte) 1);
        Path f = Files.write(dir.resolve("f"), checked);
        LocalFiles.Stat st = LocalFiles.statAll(List.of(f), 0, new LocalFiles.Budget(1 << 20))[0];
        Files.write(f, new byte[50]);
        byte[] zip =
                materialize(ZipWriter.fromFiles(List.of(new ZipWriter.Entry("f", st.size(), st.crc(), f, st.bytes())))
                        .collectList()
                        .block());
        // the bytes that were hashed, so that what the server lists is checked against their MD5
        assertThat(unzip(zip).get("f")).isEqualTo(checked);
    }

    @Test
    void aCentralDirectoryLargerThanOneBufferGoesOutAcrossSeveral(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        Path one = Files.write(dir.resolve("one"), new byte[] {7});
        LocalFiles.Stat oneStat = LocalFiles.statNow(one);
        List<ZipWriter.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // 3,000 x (46 + 84) bytes of directory: more than a 256 KiB buffer
            String name = String.format("%080d", i) + ".dcm";
            entries.add(
                    i % 2 == 0
                            ? new ZipWriter.Entry(name, 0, 0, empty)
                            : new ZipWriter.Entry(name, 1, oneStat.crc(), one));
        }
        List<ByteBuf> buffers = ZipWriter.fromFiles(entries).collectList().block();
        assertThat(buffers).hasSizeGreaterThan(1);
        byte[] zip = materialize(buffers);
        assertThat((long) zip.length).isEqualTo(ZipWriter.length(entries));
        try (java.util.zip.ZipFile zf = new java.util.zip.ZipFile(
                Files.write(dir.resolve("out.zip"), zip).toFile())) {
            assertThat(zf.size()).isEqualTo(entries.size());
            assertThat(zf.getInputStream(zf.getEntry(entries.get(1).name())).readAllBytes())
                    .containsExactly(7);
        }
    }

    @Test
    void theZipWriterFailsWhenAFileChangedSinceItWasChecked(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        LocalFiles.Stat st = LocalFiles.statNow(f);
        Files.write(f, new byte[50]);
        assertThatThrownBy(() -> ZipWriter.fromFiles(List.of(new ZipWriter.Entry("f", st.size(), st.crc(), f)))
                        .collectList()
                        .block())
                .hasMessageContaining("changed since it was checked");
    }

    static ZipWriter.Loaded next(Map.Entry<String, byte[]> e) {
        return new ZipWriter.Loaded(e.getKey(), e.getValue());
    }

    /** The bytes of buffers, each released. */
    static byte[] materialize(List<ByteBuf> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b : parts) {
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            b.release();
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    static byte[] concat(List<ByteBuffer> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : parts) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }
}
