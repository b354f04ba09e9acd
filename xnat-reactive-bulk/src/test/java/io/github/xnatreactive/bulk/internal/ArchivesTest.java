package io.github.xnatreactive.bulk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.core.XnatProtocolException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                ZipEntry ze = new ZipEntry(e.getKey());
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
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

    @Test
    void verifiedEntriesAreMovedIntoPlaceAndWrongOnesAreNot(@TempDir Path dir) throws Exception {
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
        Archives.extract(new ByteArrayInputStream(zip(sent)), "DICOM", expect(folder, want), verified::add);

        assertThat(verified).extracting(w -> w.item().source()).containsExactly("a.dcm");
        assertThat(Files.readAllBytes(folder.resolve("a.dcm"))).isEqualTo(want.get("a.dcm"));
        assertThat(all(dir)).containsExactly("files/a.dcm");
    }

    @Test
    void aZipSlipEntryIsRefusedAndNothingLandsOutsideTheFolder(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("dest/files");
        Map<String, byte[]> want = Map.of("a.dcm", bytes("a", 100), "evil", bytes("e", 10));
        Map<String, byte[]> sent = new java.util.LinkedHashMap<>();
        sent.put(PREFIX + "a.dcm", want.get("a.dcm"));
        sent.put(PREFIX + "../../../../../evil", want.get("evil"));
        List<Work> verified = new ArrayList<>();
        assertThatThrownBy(() -> Archives.extract(
                        new ByteArrayInputStream(zip(sent)), "DICOM", expect(folder, want), verified::add))
                .isInstanceOf(XnatProtocolException.class)
                .hasMessageContaining("zip-slip");
        assertThat(verified).extracting(w -> w.item().source()).containsExactly("a.dcm");
        assertThat(all(dir)).containsExactly("dest/files/a.dcm");
    }

    @Test
    void aStreamCutMidEntryKeepsWhatWasVerifiedAndNoPartialFile(@TempDir Path dir) throws Exception {
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
        assertThatThrownBy(() ->
                        Archives.extract(new ByteArrayInputStream(cut), "DICOM", expect(folder, want), verified::add))
                .isInstanceOf(IOException.class);
        assertThat(verified).extracting(w -> w.item().source()).containsExactly("0.dcm", "1.dcm");
        assertThat(all(dir)).containsExactly("files/0.dcm", "files/1.dcm");
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
        byte[] zip = concat(ZipWriter.fromFiles(entries).collectList().block());
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
