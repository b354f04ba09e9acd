package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Archive faults (archive-drop, archive-corrupt, archive-omit, archive-slip), seeded and limited to a route. */
class ArchiveFaultsTest {
    private static final String SESSION = "/data/projects/Z/subjects/Z_S001/experiments/Z_S001_MR1";
    private static final String SCAN1 = SESSION + "/scans/1/resources/DICOM/files";
    private static final String SCAN2 = SESSION + "/scans/2/resources/DICOM/files";

    private static XnatTestServer start() {
        return XnatTestServer.builder().seed(SeedSpec.parse("Z:1x1x2x5x8K")).start();
    }

    /** File name to the listing's digest. */
    private static Map<String, String> listing(TestHttp http, String files) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode r : TestHttp.rows(http.get(files + "?format=json"))) {
            out.put(r.get("Name").asString(), r.get("digest").asString());
        }
        return out;
    }

    /** Entry name to the MD5 of its bytes, read with java.util.zip (which checks each entry's CRC-32). */
    private static Map<String, String> unzip(byte[] zip) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
                out.put(e.getName(), FilesTest.md5(z.readAllBytes()));
            }
        }
        return out;
    }

    private static String base(String entry) {
        return entry.substring(entry.lastIndexOf('/') + 1);
    }

    private static Map<String, String> unzipWith(XnatTestServer server, TestHttp http, FaultSpec faults)
            throws Exception {
        server.faults(faults);
        return unzip(zip(http, SCAN1));
    }

    private static byte[] zip(TestHttp http, String files) {
        HttpResponse<byte[]> r = http.get(files + "?format=zip");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void omitLeavesOneListedFileOutOfTheZip() throws Exception {
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            Map<String, String> listed = listing(http, SCAN1);
            Map<String, String> got = unzipWith(server, http, FaultSpec.parse("archive-omit=1.0,seed=3"));
            assertThat(got).hasSize(listed.size() - 1);
            got.forEach((name, md5) -> assertThat(listed).containsEntry(base(name), md5));
            assertThat(server.injectedFaults()).isEqualTo(1);
            // the listing itself is intact
            assertThat(listing(http, SCAN1)).isEqualTo(listed);
        }
    }

    @Test
    void corruptFlipsOneEntryWhoseCrcStillMatchesButWhoseDigestDoesNot() throws Exception {
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            Map<String, String> listed = listing(http, SCAN1);
            server.faults(FaultSpec.none().archiveCorruptRate(1.0));
            byte[] zip = zip(http, SCAN1);
            Map<String, String> got = unzip(zip); // no ZipException: the entry's CRC-32 is that of the sent bytes
            assertThat(got).hasSize(listed.size());
            long bad = got.entrySet().stream()
                    .filter(e -> !listed.get(base(e.getKey())).equals(e.getValue()))
                    .count();
            assertThat(bad).isEqualTo(1);
            // entry sizes are unchanged: every entry is 8 KiB
            try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
                while (z.getNextEntry() != null) {
                    assertThat(z.readAllBytes()).hasSize(8 * 1024);
                }
            }
        }
    }

    @Test
    void slipAddsAnEntryOutsideTheDestination() throws Exception {
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            Map<String, String> listed = listing(http, SCAN1);
            Map<String, String> got = unzipWith(server, http, FaultSpec.parse("archive-slip=1"));
            assertThat(got).containsKey("../evil").hasSize(listed.size() + 1);
            got.remove("../evil");
            got.forEach((name, md5) -> assertThat(listed).containsEntry(base(name), md5));
        }
    }

    @Test
    void dropClosesTheConnectionAfterTheGivenBytesOfTheArchive() throws Exception {
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            int full = zip(http, SCAN1).length;
            server.faults(FaultSpec.parse("archive-drop=1,archive-drop-after=10000"));
            Chunked raw = rawGet(server, SCAN1 + "?format=zip");
            assertThat(raw.head()).startsWith("HTTP/1.1 200");
            assertThat(raw.complete()).as("the terminating chunk never came").isFalse();
            assertThat(raw.body()).hasSize(10000);
            assertThat(full).isGreaterThan(10000);
            // mid-entry: the first entry's data starts before byte 200 and is 8 KiB long, the second's ends later
            assertThatThrownBy(() -> http.get(SCAN1 + "?format=zip")).isInstanceOf(UncheckedIOException.class);
            assertThat(server.injectedFaults()).isEqualTo(2);
            server.faults(FaultSpec.none());
            assertThat(zip(http, SCAN1)).hasSize(full);
        }
    }

    @Test
    void theSameSeedOmitsTheSameEntryAndARouteLimitsTheFault() throws Exception {
        Map<String, String> first;
        Map<String, String> again;
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            server.faults(FaultSpec.parse("archive-omit=1,seed=11,route=" + SCAN1.replace("/1/", "/{scan}/")));
            first = unzip(zip(http, SCAN1));
        }
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            server.faults(FaultSpec.parse(
                    "archive-omit=1,seed=11,route=/data/projects/Z/subjects/{s}/experiments/" + "{e}/scans/1/**"));
            again = unzip(zip(http, SCAN1));
            // scan 2 is outside the route: complete
            assertThat(unzip(zip(http, SCAN2))).hasSize(5);
            // so is the same zip under /REST when the route names scan 1 only... but /REST maps onto /data
            assertThat(unzip(zip(http, SCAN1.replace("/data/", "/REST/")))).hasSize(4);
        }
        assertThat(first).hasSize(4);
        assertThat(again.keySet()).isEqualTo(first.keySet());
    }

    @Test
    void storedEntriesCarryTheirCrcAndSizesInTheLocalHeader() throws Exception {
        try (XnatTestServer server = start()) {
            byte[] zip = zip(new TestHttp(server), SESSION + "/scans/ALL/files");
            // local file header: signature, version, flags (bit 3 = data descriptor), method 0, crc, sizes
            assertThat(le32(zip, 0)).isEqualTo(0x04034b50);
            assertThat(le16(zip, 6) & 0x08).isZero();
            assertThat(le16(zip, 8)).isZero();
            assertThat(le32(zip, 18)).isEqualTo(8 * 1024);
            assertThat(le32(zip, 22)).isEqualTo(8 * 1024);
            assertThat(unzip(zip)).hasSize(10);
            try (java.util.zip.ZipFile zf = zipFile(zip)) {
                assertThat(zf.size()).isEqualTo(10);
            }
        }
    }

    @Test
    void moreThan65535EntriesGetZip64EndRecordsThatBothJdkReadersAccept() throws Exception {
        try (XnatTestServer server = XnatTestServer.builder()
                .seed(SeedSpec.parse("Z64:1x1x1x66000x132"))
                .start()) {
            String files =
                    "/data/projects/Z64/subjects/Z64_S001/experiments/Z64_S001_MR1/scans/1/resources/DICOM/files";
            byte[] zip = zip(new TestHttp(server), files);
            int streamed = 0;
            try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null) {
                    assertThat(z.readAllBytes()).hasSize(132);
                    streamed++;
                }
            }
            assertThat(streamed).isEqualTo(66000);
            // ZipFile reads the central directory, found through the Zip64 end record and locator
            try (java.util.zip.ZipFile zf = zipFile(zip)) {
                assertThat(zf.size()).isEqualTo(66000);
                ZipEntry last = zf.getEntry("Z64_S001_MR1/scans/1-T1w/resources/DICOM/files/Z64_S001_MR1.1.66000.dcm");
                assertThat(last).isNotNull();
                try (InputStream in = zf.getInputStream(last)) {
                    assertThat(in.readAllBytes()).hasSize(132);
                }
            }
        }
    }

    private static java.util.zip.ZipFile zipFile(byte[] zip) throws IOException {
        java.nio.file.Path p = java.nio.file.Files.createTempFile("zf", ".zip");
        java.nio.file.Files.write(p, zip);
        p.toFile().deleteOnExit();
        return new java.util.zip.ZipFile(p.toFile());
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static long le32(byte[] b, int i) {
        return (le16(b, i) | (long) le16(b, i + 2) << 16) & 0xFFFFFFFFL;
    }

    /** The head, the de-chunked body bytes that arrived, and whether the terminating chunk did. */
    private record Chunked(String head, byte[] body, boolean complete) {}

    private static Chunked rawGet(XnatTestServer server, String path) throws IOException {
        try (Socket s = TestHttp.rawGet(server, path)) {
            InputStream in = s.getInputStream();
            String head = line(in, "\r\n\r\n");
            assertThat(head).containsIgnoringCase("transfer-encoding: chunked");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                while (true) {
                    String size = line(in, "\r\n").trim();
                    int n = Integer.parseInt(size, 16);
                    if (n == 0) {
                        return new Chunked(head, body.toByteArray(), true);
                    }
                    byte[] chunk = in.readNBytes(n);
                    body.write(chunk);
                    if (chunk.length < n) {
                        break;
                    }
                    line(in, "\r\n");
                }
            } catch (IOException eof) {
                // the connection closed mid-body
            }
            return new Chunked(head, body.toByteArray(), false);
        }
    }

    private static String line(InputStream in, String end) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF after " + b);
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
