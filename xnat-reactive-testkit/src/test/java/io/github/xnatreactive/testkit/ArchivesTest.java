package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Contract section 5.8: zip, tar and tar.gz downloads of file listings. */
class ArchivesTest {
    /** Scans 1 (T1w), 2 (T2w), 3 (FLAIR), each with 4 files of 8 KiB in resource DICOM. */
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.seed(SeedSpec.parse("ARC:1x1x3x4x8K")));

    private static final String LABEL = "ARC_S001_MR1";
    private static final String SESSION = "/data/projects/ARC/subjects/ARC_S001/experiments/" + LABEL;
    private static TestHttp http;
    /** Expected MD5 of every file by its default-structure entry name. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    private static final byte[] NOTES = "session notes\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] PARAMS = FilesTest.bytes(12345, 99);

    @BeforeAll
    static void setUp() throws Exception {
        http = new TestHttp(xnat.server());
        assertThat(http.put(SESSION + "/resources/NOTES/files/notes.txt", "text/plain", NOTES)
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.put(SESSION + "/resources/NOTES/files/deep/params.bin", "application/octet-stream", PARAMS)
                        .statusCode())
                .isEqualTo(200);
        String[] types = {"T1w", "T2w", "FLAIR"};
        for (int scan = 1; scan <= 3; scan++) {
            List<JsonNode> rows =
                    TestHttp.rows(http.get(SESSION + "/scans/" + scan + "/resources/DICOM/files?format=json"));
            assertThat(rows).hasSize(4);
            for (JsonNode r : rows) {
                EXPECTED.put(
                        LABEL + "/scans/" + scan + "-" + types[scan - 1] + "/resources/DICOM/files/"
                                + r.get("Name").asString(),
                        r.get("digest").asString());
            }
        }
        EXPECTED.put(LABEL + "/resources/NOTES/files/notes.txt", FilesTest.md5(NOTES));
        EXPECTED.put(LABEL + "/resources/NOTES/files/deep/params.bin", FilesTest.md5(PARAMS));
    }

    private record Member(String name, byte[] bytes, int method) {}

    private static List<Member> unzip(byte[] zip) throws IOException {
        List<Member> out = new java.util.ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                out.add(new Member(e.getName(), z.readAllBytes(), e.getMethod()));
            }
        }
        return out;
    }

    private static List<Member> untar(InputStream in) throws IOException {
        List<Member> out = new java.util.ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                byte[] b = t.readAllBytes();
                assertThat(b).hasSize((int) e.getSize());
                out.add(new Member(e.getName(), b, -1));
            }
        }
        return out;
    }

    private static Map<String, String> digests(List<Member> members) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (Member e : members) {
            m.put(
                    e.name(),
                    HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(e.bytes())));
        }
        return m;
    }

    private static Map<String, String> expectedWhere(java.util.function.Predicate<String> keep) {
        Map<String, String> m = new LinkedHashMap<>();
        EXPECTED.forEach((k, v) -> {
            if (keep.test(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    private static HttpResponse<byte[]> archive(String url) {
        HttpResponse<byte[]> r = http.get(url);
        assertThat(r.statusCode()).as(url + ": " + TestHttp.text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length"))
                .as("archives are streamed")
                .isEmpty();
        assertThat(r.headers().firstValue("Transfer-Encoding"))
                .hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("chunked"));
        return r;
    }

    @Test
    void zipOfASessionResource() throws Exception {
        HttpResponse<byte[]> r = archive(SESSION + "/resources/NOTES/files?format=zip");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("attachment; filename=\"" + LABEL + ".zip\""));
        List<Member> members = unzip(r.body());
        assertThat(digests(members)).isEqualTo(expectedWhere(k -> k.contains("/resources/NOTES/")));
        assertThat(members).allSatisfy(m -> assertThat(m.method()).isEqualTo(ZipEntry.STORED));
        Member notes = members.stream()
                .filter(m -> m.name().endsWith("notes.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(notes.bytes()).isEqualTo(NOTES);
    }

    @Test
    void zipOfAllScans() throws Exception {
        List<Member> members =
                unzip(archive(SESSION + "/scans/ALL/files?format=zip").body());
        assertThat(members).hasSize(12);
        assertThat(digests(members)).isEqualTo(expectedWhere(k -> k.contains("/scans/")));
        // also through the accession-ID URL
        String id = TestHttp.rows(http.get("/data/projects/ARC/experiments?format=json"))
                .get(0)
                .get("ID")
                .asString();
        assertThat(digests(unzip(archive("/data/experiments/" + id + "/scans/ALL/files?format=zip")
                        .body())))
                .isEqualTo(expectedWhere(k -> k.contains("/scans/")));
    }

    @Test
    void zipOfScansByTypeAndById() throws Exception {
        assertThat(digests(unzip(
                        archive(SESSION + "/scans/T1w,T2w/files?format=zip").body())))
                .isEqualTo(expectedWhere(k -> k.contains("/scans/1-T1w/") || k.contains("/scans/2-T2w/")));
        assertThat(digests(unzip(archive(SESSION + "/scans/1/files?format=zip").body())))
                .isEqualTo(expectedWhere(k -> k.contains("/scans/1-T1w/")));
        assertThat(digests(unzip(archive(SESSION + "/scans/3/resources/DICOM/files?format=zip")
                        .body())))
                .isEqualTo(expectedWhere(k -> k.contains("/scans/3-FLAIR/")));
    }

    @Test
    void compressionEightDeflates() throws Exception {
        List<Member> members = unzip(
                archive(SESSION + "/scans/ALL/files?format=zip&compression=8").body());
        assertThat(members).hasSize(12);
        assertThat(members).allSatisfy(m -> assertThat(m.method()).isEqualTo(ZipEntry.DEFLATED));
        assertThat(digests(members)).isEqualTo(expectedWhere(k -> k.contains("/scans/")));
    }

    @Test
    void simplifiedStructure() throws Exception {
        Map<String, String> got = digests(unzip(archive(SESSION + "/scans/1/files?format=zip&structure=simplified")
                .body()));
        Map<String, String> want = new LinkedHashMap<>();
        expectedWhere(k -> k.contains("/scans/1-T1w/"))
                .forEach((k, v) -> want.put(k.replace("/resources/DICOM/files/", "/DICOM/"), v));
        assertThat(got).isEqualTo(want);
        assertThat(digests(unzip(archive(SESSION + "/resources/NOTES/files?format=zip&structure=simplified")
                        .body())))
                .containsOnlyKeys(LABEL + "/NOTES/notes.txt", LABEL + "/NOTES/deep/params.bin");
    }

    @Test
    void tarAndTarGz() throws Exception {
        HttpResponse<byte[]> tar = archive(SESSION + "/scans/ALL/files?format=tar");
        assertThat(tar.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).contains("filename=\"" + LABEL + ".tar\""));
        assertThat(digests(untar(new ByteArrayInputStream(tar.body()))))
                .isEqualTo(expectedWhere(k -> k.contains("/scans/")));

        HttpResponse<byte[]> tgz = archive(SESSION + "/resources/NOTES/files?format=tar.gz");
        assertThat(tgz.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).contains("filename=\"" + LABEL + ".tar.gz\""));
        List<Member> members = untar(new GZIPInputStream(new ByteArrayInputStream(tgz.body())));
        assertThat(digests(members)).isEqualTo(expectedWhere(k -> k.contains("/resources/NOTES/")));
    }

    @Test
    void zeroFilesIs404() {
        assertThat(http.put(SESSION + "/resources/NOTHING").statusCode()).isEqualTo(200);
        assertThat(http.get(SESSION + "/resources/NOTHING/files?format=zip").statusCode())
                .isEqualTo(404);
        assertThat(http.get(SESSION + "/resources/ABSENT/files?format=zip").statusCode())
                .isEqualTo(404);
        assertThat(http.get(SESSION + "/scans/99/files?format=zip").statusCode())
                .isEqualTo(404);
        assertThat(http.get(SESSION + "/scans/ALL/files/nothing/here?format=tar")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void largeArchiveIsStreamedCompletely() throws Exception {
        // 2 scans x 26 files x 1 MiB = 52 MiB
        try (XnatTestServer big =
                XnatTestServer.builder().seed(SeedSpec.parse("BIG:1x1x2x26x1M")).start()) {
            TestHttp h = new TestHttp(big);
            String session = "/data/projects/BIG/subjects/BIG_S001/experiments/BIG_S001_MR1";
            Map<String, String> want = new LinkedHashMap<>();
            for (JsonNode r : TestHttp.rows(h.get(session + "/scans/ALL/files?format=json"))) {
                want.put(r.get("Name").asString(), r.get("digest").asString());
            }
            assertThat(want).hasSize(52);
            HttpResponse<InputStream> r;
            try {
                r = java.net.http.HttpClient.newHttpClient()
                        .send(
                                h.request(session + "/scans/ALL/files?format=zip")
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Length")).isEmpty();
            Map<String, String> got = new LinkedHashMap<>();
            long total = 0;
            byte[] buf = new byte[8192];
            try (ZipInputStream z = new ZipInputStream(r.body())) {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null) {
                    MessageDigest md5 = MessageDigest.getInstance("MD5");
                    long size = 0;
                    int n;
                    while ((n = z.read(buf)) > 0) {
                        md5.update(buf, 0, n);
                        size += n;
                    }
                    assertThat(size).as(e.getName()).isEqualTo(1024 * 1024);
                    total += size;
                    String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                    got.put(name, HexFormat.of().formatHex(md5.digest()));
                }
            }
            assertThat(total).isEqualTo(52L * 1024 * 1024);
            assertThat(got).isEqualTo(want);

            // a client that reads 1 MiB of the archive and goes away does not hurt the server
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", big.port())) {
                sock.getOutputStream()
                        .write(("GET " + session + "/scans/ALL/files?format=zip HTTP/1.1\r\nHost: x\r\n"
                                        + "Authorization: " + TestHttp.basic(big.adminUser(), big.adminPassword())
                                        + "\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                InputStream in = sock.getInputStream();
                long read = 0;
                int n;
                while (read < 1024 * 1024 && (n = in.read(buf)) > 0) {
                    read += n;
                }
                assertThat(read).isGreaterThanOrEqualTo(1024 * 1024);
            }
            HttpResponse<byte[]> after = h.get(session + "/scans/1/files?format=zip");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(unzip(after.body())).hasSize(26);
        }
    }
}
