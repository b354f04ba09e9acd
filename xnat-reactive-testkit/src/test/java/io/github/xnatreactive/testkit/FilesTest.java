package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Contract section 5: resources and files over real HTTP. */
class FilesTest {
    /** The server's data directory is {@code ROOT/data}: anything else appearing under ROOT escaped it. */
    private static final Path ROOT = tempDir();

    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.dataDir(ROOT.resolve("data")));

    private static final String SUBJECT = "/data/projects/P1/subjects/S1";
    private static final String SESSION = SUBJECT + "/experiments/MR1";
    private static TestHttp http;
    private static String sessionId;
    private static String subjectId;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("files-test-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteRoot() {
        io.github.xnatreactive.testkit.internal.Store.deleteTree(ROOT);
    }

    /** Nothing but the data directory under ROOT, and no file named evil.txt anywhere. */
    private static void assertNothingEscaped() throws IOException {
        try (Stream<Path> s = Files.list(ROOT)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("data");
        }
        assertThat(filesUnder(ROOT)).noneMatch(p -> p.getFileName().toString().contains("evil"));
    }

    @BeforeAll
    static void createHierarchy() {
        http = new TestHttp(xnat.server());
        assertThat(http.put("/data/projects/P1").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> s = http.put(SUBJECT);
        assertThat(s.statusCode()).isEqualTo(201);
        subjectId = TestHttp.text(s).trim();
        HttpResponse<byte[]> e = http.put(SESSION + "?xsiType=xnat:mrSessionData");
        assertThat(e.statusCode()).isEqualTo(201);
        sessionId = TestHttp.text(e).trim();
        assertThat(http.put(SESSION + "/scans/1?xsiType=xnat:mrScanData&type=T1w")
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.put(SESSION + "/assessors/QC1?xsiType=xnat:qcManualAssessorData")
                        .statusCode())
                .isEqualTo(201);
        assertThat(http.put(SESSION + "/reconstructions/RC1").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    private static HttpResponse<byte[]> rawPut(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = http.request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b);
    }

    private static HttpResponse<byte[]> multipartPut(String path, Map<String, byte[]> files) {
        TestHttp.Multipart m = TestHttp.multipart(files, Map.of());
        return http.put(path, m.contentType(), m.body());
    }

    private static List<JsonNode> list(String filesUrl) {
        return TestHttp.rows(http.get(filesUrl + (filesUrl.contains("?") ? "&" : "?") + "format=json"));
    }

    private static Map<String, JsonNode> byName(List<JsonNode> rows) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.get("Name").asString(), r));
        return m;
    }

    private static void assertErrorPage(HttpResponse<byte[]> r, int status, String message) {
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(TestHttp.text(r)).contains("<h3>" + message);
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bo.toByteArray();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** Sends a request line as given (no client-side normalisation of the path) and returns status line + body. */
    private static String rawRequest(String method, String target) throws IOException {
        XnatTestServer server = xnat.server();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            String auth = Base64.getEncoder()
                    .encodeToString(
                            (server.adminUser() + ":" + server.adminPassword()).getBytes(StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
                            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\nConnection: close\r\n\r\nevil")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    // ------------------------------------------------------------------ resources

    @Test
    void resourcePutGetDelete() {
        String res = SESSION + "/resources/CAT";
        HttpResponse<byte[]> absent = http.get(res);
        assertErrorPage(absent, 404, "Unable to find the specified catalog.");

        HttpResponse<byte[]> created = http.put(res + "?format=NIFTI&content=RAW");
        assertThat(created.statusCode()).isEqualTo(200);
        assertErrorPage(http.put(res), 409, "Specified resource already exists.");

        HttpResponse<byte[]> catalog = http.get(res);
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(catalog.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).contains("xml"));
        assertThat(TestHttp.text(catalog)).contains("<cat:Catalog").contains("label=\"CAT\"");

        List<JsonNode> rows = TestHttp.rows(http.get(SESSION + "/resources?format=json"));
        JsonNode row = rows.stream()
                .filter(r -> r.get("label").asString().equals("CAT"))
                .findFirst()
                .orElseThrow();
        assertThat(row.get("format").asString()).isEqualTo("NIFTI");
        assertThat(row.get("content").asString()).isEqualTo("RAW");

        assertThat(http.delete(res).statusCode()).isEqualTo(200);
        assertThat(http.get(res).statusCode()).isEqualTo(404);
        // deleting a resource that does not exist is a no-op with 200 (contract 4.4)
        assertThat(http.delete(res).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ uploads

    @Test
    void rawBodyUploads() throws Exception {
        String files = SESSION + "/resources/RAW/files";
        byte[] a = bytes(5000, 1);
        byte[] b = bytes(7000, 2);
        HttpResponse<byte[]> r1 = rawPut(files + "/a.dcm?inbody=true", null, a);
        assertThat(r1.statusCode()).as(TestHttp.text(r1)).isEqualTo(200);
        assertThat(r1.body()).isEmpty();
        HttpResponse<byte[]> r2 = rawPut(files + "/b.dcm", "application/octet-stream", b);
        assertThat(r2.statusCode()).as(TestHttp.text(r2)).isEqualTo(200);

        Map<String, JsonNode> rows = byName(list(files));
        assertThat(rows).containsOnlyKeys("a.dcm", "b.dcm");
        assertThat(rows.get("a.dcm").get("digest").asString()).isEqualTo(md5(a));
        assertThat(rows.get("b.dcm").get("Size").asString()).isEqualTo("7000");
        assertThat(http.get(files + "/a.dcm").body()).isEqualTo(a);
        assertThat(http.get(files + "/b.dcm").body()).isEqualTo(b);
    }

    @Test
    void emptyInBodyUploadIs500() {
        HttpResponse<byte[]> r = rawPut(SESSION + "/resources/EMPTY/files/x.dcm?inbody=true", null, new byte[0]);
        assertErrorPage(r, 500, "In-body File posts must include the file directly as the body of the message");
    }

    @Test
    void multipartUploadsNameFromUrlElseFromPartFilename() throws Exception {
        String files = SESSION + "/resources/MP/files";
        byte[] a = bytes(3000, 3);
        byte[] b = bytes(4000, 4);
        byte[] c = bytes(100, 5);
        assertThat(multipartPut(files + "/fromurl.dcm", Map.of("ignored.dcm", a))
                        .statusCode())
                .isEqualTo(200);
        assertThat(multipartPut(files, Map.of("frompart.dcm", b)).statusCode()).isEqualTo(200);
        assertThat(multipartPut(files, Map.of("C:\\x\\windows.txt", c)).statusCode())
                .isEqualTo(200);

        Map<String, JsonNode> rows = byName(list(files));
        assertThat(rows).containsOnlyKeys("fromurl.dcm", "frompart.dcm", "windows.txt");
        assertThat(rows.get("fromurl.dcm").get("digest").asString()).isEqualTo(md5(a));
        assertThat(http.get(files + "/frompart.dcm").body()).isEqualTo(b);
        assertThat(http.get(files + "/windows.txt").body()).isEqualTo(c);
    }

    @Test
    void multipartPartsThatLookLikeBoundariesAndFormFields() throws Exception {
        String boundary = "XyZ";
        // bytes that start like the delimiter "\r\n--XyZ" but are not it
        byte[] tricky = ("\r\n--Xy\r\n-\r\n--X\r\n--XyQ--XyZ\r\n\r\n--").getBytes(StandardCharsets.ISO_8859_1);
        byte[] other = bytes(70_000, 40);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"overwrite\"\r\n\r\ntrue\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tricky.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.write(tricky);
        body.write(("\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"other.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.write(other);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        String files = SESSION + "/resources/TRICKY/files";
        String ct = "multipart/form-data; boundary=" + boundary;
        assertThat(http.put(files, ct, body.toByteArray()).statusCode()).isEqualTo(200);
        assertThat(http.get(files + "/tricky.bin").body()).isEqualTo(tricky);
        assertThat(http.get(files + "/other.bin").body()).isEqualTo(other);
        // the form field overwrite=true acts as a parameter: the second upload replaces instead of reporting duplicates
        HttpResponse<byte[]> again = http.put(files, ct, body.toByteArray());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEmpty();
        assertThat(list(files)).hasSize(2);
    }

    @Test
    void largeRawUploadIsStoredIntact() throws Exception {
        byte[] big = bytes(24 * 1024 * 1024, 41);
        String file = SESSION + "/resources/BIGUP/files/big.bin";
        assertThat(rawPut(file + "?inbody=true", null, big).statusCode()).isEqualTo(200);
        JsonNode row = list(SESSION + "/resources/BIGUP/files").get(0);
        assertThat(row.get("Size").asString()).isEqualTo(Integer.toString(big.length));
        assertThat(row.get("digest").asString()).isEqualTo(md5(big));
        assertThat(md5(http.get(file).body())).isEqualTo(md5(big));
    }

    @Test
    void multipartWithInbodyIs406() {
        TestHttp.Multipart m = TestHttp.multipart(Map.of("x.dcm", bytes(10, 6)), Map.of());
        HttpResponse<byte[]> r =
                http.put(SESSION + "/resources/MP406/files/x.dcm?inbody=true", m.contentType(), m.body());
        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(http.get(SESSION + "/resources/MP406/files?format=json").statusCode())
                .isEqualTo(404);
    }

    @Test
    void uploadAutoCreatesResourceWithFormatAndContent() {
        HttpResponse<byte[]> r = rawPut(
                SESSION + "/resources/AUTO/files/1.dcm?format=DICOM&content=T1_RAW",
                "application/octet-stream",
                bytes(10, 7));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode row = TestHttp.rows(http.get(SESSION + "/resources?format=json")).stream()
                .filter(x -> x.get("label").asString().equals("AUTO"))
                .findFirst()
                .orElseThrow();
        assertThat(row.get("format").asString()).isEqualTo("DICOM");
        assertThat(row.get("content").asString()).isEqualTo("T1_RAW");
        assertThat(row.get("file_count").asString()).isEqualTo("1");
        assertThat(row.get("file_size").asString()).isEqualTo("10");
        assertThat(row.get("element_name").asString()).isEqualTo("xnat:resourceCatalog");
    }

    @Test
    void duplicatesWithoutOverwriteAndReplacementWithIt() {
        String file = SESSION + "/resources/DUP/files/d/1.dcm";
        byte[] first = bytes(1000, 8);
        byte[] second = bytes(1200, 9);
        assertThat(rawPut(file, "application/octet-stream", first).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> dup = rawPut(file, "application/octet-stream", second);
        assertThat(dup.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(dup).get("duplicates").get(0).asString()).isEqualTo("d/1.dcm");
        assertThat(TestHttp.json(dup).get("duplicates")).hasSize(1);
        assertThat(http.get(file).body()).isEqualTo(first);

        HttpResponse<byte[]> over = rawPut(file + "?overwrite=true", "application/octet-stream", second);
        assertThat(over.statusCode()).isEqualTo(200);
        assertThat(over.body()).isEmpty();
        assertThat(http.get(file).body()).isEqualTo(second);
        assertThat(list(SESSION + "/resources/DUP/files")).hasSize(1);
    }

    @Test
    void fileListingColumnsDigestUriAndMetadata() throws Exception {
        byte[] data = bytes(2048, 10);
        String files = SESSION + "/resources/LIST/files";
        assertThat(rawPut(
                                files + "/1.dcm?format=DICOM&content=T1_RAW&tags=alpha&tags=beta",
                                "application/octet-stream",
                                data)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<byte[]> r = http.get(files + "?format=json");
        JsonNode rs = TestHttp.json(r).get("ResultSet");
        assertThat(rs.get("title").asString()).isEqualTo("Files");
        assertThat(rs.get("Columns").get(0).get("key").asString()).isEqualTo("URI");
        assertThat(rs.get("Columns").get(0).has("serverRoot")).isTrue();
        JsonNode row = rs.get("Result").get(0);
        List<String> keys = new ArrayList<>();
        row.propertyNames().forEach(keys::add);
        assertThat(keys)
                .containsExactlyInAnyOrder(
                        "Name",
                        "Size",
                        "URI",
                        "collection",
                        "file_tags",
                        "file_format",
                        "file_content",
                        "cat_ID",
                        "digest");
        String rid = row.get("cat_ID").asString();
        assertThat(rid).matches("\\d+");
        assertThat(row.get("Name").asString()).isEqualTo("1.dcm");
        assertThat(row.get("Size").asString()).isEqualTo("2048");
        assertThat(row.get("collection").asString()).isEqualTo("LIST");
        assertThat(row.get("digest").asString()).isEqualTo(md5(data));
        assertThat(row.get("file_format").asString()).isEqualTo("DICOM");
        assertThat(row.get("file_content").asString()).isEqualTo("T1_RAW");
        assertThat(row.get("file_tags").asString()).isEqualTo("alpha,beta");
        assertThat(row.get("URI").asString())
                .isEqualTo("/data/experiments/" + sessionId + "/resources/" + rid + "/files/1.dcm");
        assertThat(http.get(row.get("URI").asString()).body()).isEqualTo(data);

        // CSV has exactly these columns in this order
        String csv = TestHttp.text(http.get(files + "?format=csv"));
        assertThat(csv.lines().findFirst().orElseThrow().replace("\"", ""))
                .isEqualTo("Name,Size,URI,collection,file_tags,file_format,file_content,cat_ID,digest");
    }

    @Test
    void nestedPathsFolderListingAndFolderDelete() throws Exception {
        String files = SESSION + "/resources/TREE/files";
        byte[] top = bytes(10, 11);
        byte[] one = bytes(20, 12);
        byte[] three = bytes(30, 13);
        assertThat(rawPut(files + "/top.dcm", "application/octet-stream", top).statusCode())
                .isEqualTo(200);
        assertThat(rawPut(files + "/sub/1.dcm", "application/octet-stream", one).statusCode())
                .isEqualTo(200);
        assertThat(multipartPut(files + "/sub/folder/3.dcm", Map.of("3.dcm", three))
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.get(files + "/sub/folder/3.dcm").body()).isEqualTo(three);

        assertThat(list(files)).hasSize(3);
        assertThat(list(files + "/sub/"))
                .extracting(r -> r.get("Name").asString())
                .containsExactlyInAnyOrder("1.dcm", "3.dcm");
        assertThat(list(files + "/sub/?recursive=false"))
                .extracting(r -> r.get("Name").asString())
                .containsExactly("1.dcm");
        String uri3 = byName(list(files)).get("3.dcm").get("URI").asString();
        assertThat(uri3).endsWith("/files/sub/folder/3.dcm");

        assertThat(http.delete(files + "/sub/folder").statusCode()).isEqualTo(200);
        assertThat(byName(list(files))).containsOnlyKeys("top.dcm", "1.dcm");
        assertThat(http.get(files + "/sub/folder/3.dcm").statusCode()).isEqualTo(404);

        assertThat(http.delete(files + "/top.dcm").statusCode()).isEqualTo(200);
        assertThat(byName(list(files))).containsOnlyKeys("1.dcm");
        assertErrorPage(http.delete(files + "/top.dcm"), 404, "No matched files");
        assertErrorPage(http.delete(files + "/nothing/here"), 404, "No matched files");
    }

    @Test
    void fileDownloadHeadersAndHead() throws Exception {
        String files = SESSION + "/resources/DL/files";
        byte[] txt = "hello, xnat\n".getBytes(StandardCharsets.UTF_8);
        byte[] dcm = bytes(4321, 14);
        byte[] png = bytes(64, 15);
        assertThat(rawPut(files + "/notes.txt", "text/plain", txt).statusCode()).isEqualTo(200);
        assertThat(rawPut(files + "/img.dcm", "application/octet-stream", dcm).statusCode())
                .isEqualTo(200);
        assertThat(rawPut(files + "/pic.png", "application/octet-stream", png).statusCode())
                .isEqualTo(200);

        HttpResponse<byte[]> r = http.get(files + "/img.dcm");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(dcm);
        assertThat(r.headers().firstValue("Content-Length")).hasValue("4321");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("attachment; filename=\"img.dcm\""));
        String lastModified = r.headers().firstValue("Last-Modified").orElseThrow();
        ZonedDateTime lm = ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(lastModified).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        Path onDisk;
        try (Stream<Path> s = Files.walk(xnat.server().dataDir())) {
            onDisk = s.filter(p -> p.getFileName().toString().equals("img.dcm"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(lm.toEpochSecond())
                .isEqualTo(Files.getLastModifiedTime(onDisk).toMillis() / 1000);

        assertThat(http.get(files + "/notes.txt").headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(http.get(files + "/pic.png").headers().firstValue("Content-Type"))
                .hasValue("image/png");

        HttpResponse<byte[]> head =
                http.send(http.request(files + "/img.dcm").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue("4321");
        assertThat(head.headers().firstValue("Content-Disposition")).isPresent();
        // the connection is still usable after a HEAD
        assertThat(http.get(files + "/img.dcm").body()).isEqualTo(dcm);

        assertErrorPage(http.get(files + "/missing.dcm"), 404, "Unable to find file.");
    }

    @Test
    void extractZipStoresMembersNotTheZipAndReportsDuplicates() throws Exception {
        String files = SESSION + "/resources/ZIP/files";
        byte[] a = bytes(1500, 16);
        byte[] b = bytes(2500, 17);
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("a.dcm", a);
        members.put("dir/b.dcm", b);
        byte[] zip = zip(members);
        HttpResponse<byte[]> r = multipartPut(files + "?extract=true", Map.of("bundle.zip", zip));
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
        assertThat(r.body()).isEmpty();

        Map<String, JsonNode> rows = byName(list(files));
        assertThat(rows).containsOnlyKeys("a.dcm", "b.dcm");
        assertThat(rows.get("a.dcm").get("digest").asString()).isEqualTo(md5(a));
        assertThat(rows.get("b.dcm").get("digest").asString()).isEqualTo(md5(b));
        assertThat(rows.get("b.dcm").get("URI").asString()).endsWith("/files/dir/b.dcm");
        assertThat(http.get(files + "/a.dcm").body()).isEqualTo(a);
        assertThat(http.get(files + "/dir/b.dcm").body()).isEqualTo(b);
        assertThat(http.get(files + "/bundle.zip").statusCode()).isEqualTo(404);

        // again, now with a new member: existing members are duplicates, the new one is stored
        members.put("c.dcm", bytes(10, 18));
        HttpResponse<byte[]> again = rawPut(files + "/again.zip?extract=true", "application/zip", zip(members));
        assertThat(again.statusCode()).isEqualTo(200);
        List<String> dups = new ArrayList<>();
        TestHttp.json(again).get("duplicates").forEach(d -> dups.add(d.asString()));
        assertThat(dups).containsExactlyInAnyOrder("a.dcm", "dir/b.dcm");
        assertThat(byName(list(files))).containsOnlyKeys("a.dcm", "b.dcm", "c.dcm");
        assertThat(http.get(files + "/a.dcm").body()).isEqualTo(a);
    }

    @Test
    void extractedMembersKeepTheirChecksumsAndAFileThatIsNoArchiveIsStoredAsItIs() throws Exception {
        String files = SESSION + "/resources/ZIPCRC/files";
        byte[] a = bytes(70_000, 21);
        byte[] plain = bytes(1234, 22);
        HttpResponse<byte[]> r = rawPut(files + "/m.zip?extract=true", "application/zip", zip(Map.of("a.dcm", a)));
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
        // extract=true on a file that is no archive: stored as sent, its digest computed from what was stored
        HttpResponse<byte[]> p = rawPut(files + "/plain.dcm?extract=true", "application/octet-stream", plain);
        assertThat(p.statusCode()).as(TestHttp.text(p)).isEqualTo(200);
        Map<String, JsonNode> rows = byName(list(files));
        assertThat(rows.get("a.dcm").get("digest").asString()).isEqualTo(md5(a));
        assertThat(rows.get("plain.dcm").get("digest").asString()).isEqualTo(md5(plain));
        // the archive of the resource carries each member's CRC-32 (ZipInputStream checks it on reading)
        HttpResponse<byte[]> z = http.get(files + "?format=zip");
        assertThat(z.statusCode()).isEqualTo(200);
        Map<String, byte[]> back = new HashMap<>();
        try (java.util.zip.ZipInputStream zin =
                new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(z.body()))) {
            java.util.zip.ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                back.put(e.getName().substring(e.getName().lastIndexOf('/') + 1), zin.readAllBytes());
            }
        }
        assertThat(back.get("a.dcm")).isEqualTo(a);
        assertThat(back.get("plain.dcm")).isEqualTo(plain);
    }

    @Test
    void extractTarGz() throws Exception {
        String files = SESSION + "/resources/TGZ/files";
        byte[] a = bytes(3333, 19);
        byte[] b = bytes(44, 20);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bo))) {
            for (Map.Entry<String, byte[]> e : Map.of("x/a.dcm", a, "b.txt", b).entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        HttpResponse<byte[]> r = rawPut(files + "/pack.tar.gz?extract=true", "application/x-gzip", bo.toByteArray());
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
        Map<String, JsonNode> rows = byName(list(files));
        assertThat(rows).containsOnlyKeys("a.dcm", "b.txt");
        assertThat(rows.get("a.dcm").get("digest").asString()).isEqualTo(md5(a));
        assertThat(http.get(files + "/x/a.dcm").body()).isEqualTo(a);
        assertThat(http.get(files + "/b.txt").body()).isEqualTo(b);
    }

    @Test
    void zipSlipIsRejectedAndStoresNothing() throws Exception {
        // an existing resource with a file, and a new one the upload would create
        String files = SESSION + "/resources/SLIP/files";
        assertThat(rawPut(files + "/keep.dcm", "application/octet-stream", bytes(10, 21))
                        .statusCode())
                .isEqualTo(200);
        String resourcesBefore = TestHttp.text(http.get(SESSION + "/resources?format=csv"));
        String filesBefore = TestHttp.text(http.get(files + "?format=csv"));

        Map<String, byte[]> evil = new LinkedHashMap<>();
        evil.put("good.dcm", bytes(10, 22));
        evil.put("../evil.txt", "pwned".getBytes(StandardCharsets.UTF_8));
        evil.put("later.dcm", bytes(10, 23));
        byte[] zip = zip(evil);

        HttpResponse<byte[]> r = multipartPut(files + "?extract=true", Map.of("evil.zip", zip));
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(400);
        HttpResponse<byte[]> r2 =
                rawPut(SESSION + "/resources/SLIPNEW/files/evil.zip?extract=true", "application/zip", zip);
        assertThat(r2.statusCode()).as(TestHttp.text(r2)).isEqualTo(400);

        assertThat(TestHttp.text(http.get(files + "?format=csv"))).isEqualTo(filesBefore);
        assertThat(TestHttp.text(http.get(SESSION + "/resources?format=csv"))).isEqualTo(resourcesBefore);
        assertNothingEscaped();
    }

    @Test
    void dotDotPathsAre400() throws Exception {
        String files = SESSION + "/resources/DOTS/files";
        assertThat(rawRequest("PUT", files + "/../../evil.txt")).startsWith("HTTP/1.1 400");
        assertThat(rawRequest("PUT", files + "/%2e%2e/%2E%2E/evil.txt")).startsWith("HTTP/1.1 400");
        assertThat(rawRequest("PUT", files + "/a%2F..%2F..%2Fevil.txt")).startsWith("HTTP/1.1 400");
        assertThat(rawRequest("PUT", files + "/..%5Cevil.txt")).startsWith("HTTP/1.1 400");
        assertThat(rawRequest("GET", files + "/%2e%2e/%2e%2e/%2e%2e/etc/passwd"))
                .startsWith("HTTP/1.1 400");
        assertThat(http.get(SESSION + "/resources/DOTS/files?format=json").statusCode())
                .isEqualTo(404);
        assertNothingEscaped();
    }

    @Test
    void resourcesOnEveryLevelWithContractUris() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/data/projects/P1", "/data/projects/P1");
        expected.put(SUBJECT, "/data/projects/P1/subjects/" + subjectId);
        expected.put(SESSION, "/data/experiments/" + sessionId);
        expected.put(SESSION + "/scans/1", "/data/experiments/" + sessionId + "/scans/1");
        expected.put(SESSION + "/assessors/QC1/out", null);
        expected.put(SESSION + "/reconstructions/RC1/in", "/data/experiments/" + sessionId + "/reconstructions/RC1/in");
        String assessorId = null;
        for (JsonNode a : TestHttp.rows(http.get(SESSION + "/assessors?format=json"))) {
            if (a.get("label").asString().equals("QC1")) {
                assessorId = a.get("ID").asString();
            }
        }
        assertThat(assessorId).isNotNull();
        expected.put(
                SESSION + "/assessors/QC1/out", "/data/experiments/" + sessionId + "/assessors/" + assessorId + "/out");
        int n = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            byte[] data = bytes(100 + n, 30 + n);
            n++;
            String files = e.getKey() + "/resources/LVL/files";
            HttpResponse<byte[]> up = multipartPut(files + "/f.dcm", Map.of("f.dcm", data));
            assertThat(up.statusCode()).as(files + ": " + TestHttp.text(up)).isEqualTo(200);
            List<JsonNode> rows = list(files);
            assertThat(rows).as(files).hasSize(1);
            JsonNode row = rows.get(0);
            String uri = row.get("URI").asString();
            assertThat(uri)
                    .isEqualTo(e.getValue() + "/resources/" + row.get("cat_ID").asString() + "/files/f.dcm");
            assertThat(row.get("digest").asString()).isEqualTo(md5(data));
            HttpResponse<byte[]> down = http.get(uri);
            assertThat(down.statusCode()).as(uri).isEqualTo(200);
            assertThat(down.body()).isEqualTo(data);
        }
        // the assessor's "out" resource is not an "in" resource
        assertThat(http.get(SESSION + "/assessors/QC1/in/resources/LVL/files?format=json")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void experimentResourcesListingIsExperimentLevelUnlessAll() {
        String exp = "/data/projects/P1/subjects/S1/experiments/MR2";
        assertThat(http.put(exp + "?xsiType=xnat:mrSessionData").statusCode()).isEqualTo(201);
        assertThat(http.put(exp + "/scans/7?xsiType=xnat:mrScanData&type=T2w").statusCode())
                .isEqualTo(200);
        assertThat(http.put(exp + "/resources/SESSRES").statusCode()).isEqualTo(200);
        assertThat(http.put(exp + "/scans/7/resources/DICOM").statusCode()).isEqualTo(200);

        assertThat(TestHttp.rows(http.get(exp + "/resources?format=json")))
                .extracting(r -> r.get("label").asString())
                .containsExactly("SESSRES");
        List<JsonNode> all = TestHttp.rows(http.get(exp + "/resources?format=json&all=true"));
        assertThat(all).extracting(r -> r.get("label").asString()).containsExactlyInAnyOrder("SESSRES", "DICOM");
        JsonNode scanRes = all.stream()
                .filter(r -> r.get("label").asString().equals("DICOM"))
                .findFirst()
                .orElseThrow();
        assertThat(scanRes.get("category").asString()).isEqualTo("scans");
        assertThat(scanRes.get("cat_id").asString()).isEqualTo("7");
        assertThat(scanRes.get("cat_desc").asString()).isEqualTo("T2w");
    }
}
