package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.internal.DicomWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Contract section 8: the import service, the prearchive and archiving, over real HTTP. */
class ImportTest {
    private static final Path DATA = tempDir();

    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(
            b -> b.dataDir(DATA).user("admin", "admin").user("alice", "pw").seed(SeedSpec.parse("SEEDED:1x1x2x3x2K")));

    private static TestHttp http;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("import-test-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void projects() {
        http = new TestHttp(xnat.server());
        for (String p : List.of("P1", "P2", "P3", "P4", "P5", "P6")) {
            assertThat(http.put("/data/projects/" + p).statusCode()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ DICOM to upload

    /** The files of one study: {@code series} series of {@code instances} instances each, as entry name to bytes. */
    static Map<String, byte[]> study(String patient, String studyUid, int series, int instances) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(studyUid.hashCode());
        try {
            Path tmp = Files.createTempFile("dcm", ".dcm");
            for (int s = 1; s <= series; s++) {
                for (int i = 1; i <= instances; i++) {
                    DicomWriter.Instance in = new DicomWriter.Instance(
                            patient,
                            patient + "_MR1",
                            studyUid,
                            "20240102",
                            "study",
                            studyUid + "." + s,
                            s,
                            "T" + s + "w",
                            i);
                    DicomWriter.write(tmp, 1024, in, random, new byte[1024]);
                    out.put(patient + "/" + s + "/IM" + i + ".dcm", Files.readAllBytes(tmp));
                }
            }
            Files.delete(tmp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    static byte[] tgz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(b))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                t.putArchiveEntry(e);
                t.write(f.getValue());
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    private static HttpResponse<byte[]> importZip(String query, byte[] body) {
        return http.post("/data/services/import" + query, "application/zip", body);
    }

    private static List<JsonNode> prearchive(String project) {
        return TestHttp.rows(http.get("/data/prearchive/projects/" + project + "?format=json"));
    }

    private static List<String> uris(HttpResponse<byte[]> r) {
        String body = TestHttp.text(r);
        assertThat(body).endsWith("\r\n");
        return List.of(body.split("\r\n"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ import

    @Test
    void aZipOfTwoStudiesBecomesTwoPrearchiveSessionsWithTheirScansAndFiles() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(study("Alpha", "1.2.3.10", 2, 3));
        files.putAll(study("Beta", "1.2.3.11", 1, 2));
        HttpResponse<byte[]> r = importZip("?PROJECT_ID=P1", zip(files));
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/uri-list");
        List<String> uris = uris(r);
        assertThat(uris).hasSize(2).allMatch(u -> u.matches("/data/prearchive/projects/P1/\\d{8}_\\d{9}/\\w+"));
        assertThat(uris.get(0)).endsWith("/Alpha_MR1");

        List<JsonNode> rows = prearchive("P1");
        assertThat(rows).hasSize(2);
        JsonNode alpha = rows.get(0);
        assertThat(alpha.get("status").asString()).isEqualTo("RECEIVING");
        assertThat(alpha.get("subject").asString()).isEqualTo("Alpha");
        assertThat(alpha.get("tag").asString()).isEqualTo("1.2.3.10");
        assertThat(alpha.get("scan_date").asString()).isEqualTo("2024-01-02");
        assertThat(alpha.get("url").asString()).isEqualTo(uris.get(0).substring(5));

        String session = uris.get(0);
        List<JsonNode> scans = TestHttp.rows(http.get(session + "/scans?format=json"));
        assertThat(scans).extracting(n -> n.get("ID").asString()).containsExactly("1", "2");
        assertThat(scans.get(1).get("series_description").asString()).isEqualTo("T2w");
        assertThat(TestHttp.rows(http.get(session + "/scans/1/resources?format=json")))
                .extracting(n -> n.get("label").asString())
                .containsExactly("DICOM");
        List<JsonNode> listed = TestHttp.rows(http.get(session + "/scans/1/resources/DICOM/files?format=json"));
        assertThat(listed).extracting(n -> n.get("Name").asString()).containsExactly("IM1.dcm", "IM2.dcm", "IM3.dcm");
        HttpResponse<byte[]> one = http.get(listed.get(0).get("URI").asString());
        assertThat(one.body()).isEqualTo(files.get("Alpha/1/IM1.dcm"));

        // the session's zip holds every file
        HttpResponse<byte[]> zip = http.get(session + "?format=zip");
        assertThat(zip.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).hasSize(6).contains("Alpha_MR1/SCANS/2/DICOM/IM3.dcm");

        // build, then archive through the archive service
        assertThat(TestHttp.text(http.post(session + "?action=build", "text/plain", new byte[0])))
                .isEqualTo(session + "\r\n");
        assertThat(prearchive("P1").get(0).get("status").asString()).isEqualTo("READY");
        HttpResponse<byte[]> archived =
                http.post("/data/services/archive?src=" + enc(session.substring(5)), "text/plain", new byte[0]);
        assertThat(archived.statusCode()).as(TestHttp.text(archived)).isEqualTo(200);
        assertThat(TestHttp.text(archived))
                .isEqualTo("/data/archive/projects/P1/subjects/Alpha/experiments/Alpha_MR1\r\n");
        assertThat(prearchive("P1")).hasSize(1);
        List<JsonNode> archivedScans =
                TestHttp.rows(http.get("/data/projects/P1/experiments/Alpha_MR1/scans?format=json"));
        assertThat(archivedScans).extracting(n -> n.get("type").asString()).containsExactly("T1w", "T2w");
        List<JsonNode> archivedFiles = TestHttp.rows(
                http.get("/data/projects/P1/experiments/Alpha_MR1/scans/2/resources/DICOM/files?format=json"));
        assertThat(archivedFiles).hasSize(3);
        assertThat(http.get("/data/projects/P1/experiments/Alpha_MR1/scans/1/resources/DICOM/files/IM1.dcm")
                        .body())
                .isEqualTo(files.get("Alpha/1/IM1.dcm"));
    }

    @Test
    void anArchiveDestinationArchivesAtOnceAndASecondImportConflictsUnlessAppending() throws Exception {
        byte[] body = tgz(study("Gamma", "1.2.3.20", 2, 2));
        HttpResponse<byte[]> r = http.post(
                "/data/services/import?dest=" + enc("/archive/projects/P2/subjects/G1/experiments/G1_MR"),
                "application/x-gzip",
                body);
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
        assertThat(TestHttp.text(r)).isEqualTo("/data/archive/projects/P2/subjects/G1/experiments/G1_MR\r\n");
        assertThat(prearchive("P2")).isEmpty();
        assertThat(TestHttp.rows(http.get("/data/projects/P2/experiments/G1_MR/scans?format=json")))
                .hasSize(2);

        HttpResponse<byte[]> again = http.post(
                "/data/services/import?dest=" + enc("/archive/projects/P2/subjects/G1/experiments/G1_MR"),
                "application/x-gzip",
                body);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(TestHttp.text(again)).contains("already exists");
        assertThat(prearchive("P2")).isEmpty();

        HttpResponse<byte[]> appended = http.post(
                "/data/services/import?overwrite=append&dest="
                        + enc("/archive/projects/P2/subjects/G1/experiments/G1_MR"),
                "application/x-gzip",
                tgz(study("Gamma", "1.2.3.20", 3, 1)));
        assertThat(appended.statusCode()).as(TestHttp.text(appended)).isEqualTo(200);
        assertThat(TestHttp.rows(http.get("/data/projects/P2/experiments/G1_MR/scans?format=json")))
                .hasSize(3);
    }

    @Test
    void twoStudiesOfOnePatientInOneUploadBecomeTwoSessions() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(study("Kappa", "1.2.3.60", 1, 1));
        for (Map.Entry<String, byte[]> e : study("Kappa", "1.2.3.61", 1, 1).entrySet()) {
            files.put("second/" + e.getKey(), e.getValue());
        }
        List<String> uris = uris(importZip("?PROJECT_ID=P6", zip(files)));
        assertThat(uris).hasSize(2).doesNotHaveDuplicates().allMatch(u -> u.endsWith("/Kappa_MR1"));
        assertThat(prearchive("P6")).extracting(n -> n.get("tag").asString()).contains("1.2.3.60", "1.2.3.61");
    }

    @Test
    void gradualDicomAddsInstancesOneByOneToTheSameSession() {
        Map<String, byte[]> files = study("Delta", "1.2.3.30", 1, 2);
        List<String> seen = new ArrayList<>();
        for (byte[] f : files.values()) {
            HttpResponse<byte[]> r = http.post("/data/services/import?project=P3", "application/dicom", f);
            assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
            seen.addAll(uris(r));
        }
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo(seen.get(1));
        assertThat(TestHttp.rows(http.get(seen.get(0) + "/scans/1/resources/DICOM/files?format=json")))
                .hasSize(2);
    }

    @Test
    void badUploadsAreRefusedWithXnatsStatusAndLeaveNothingBehind() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(study("Eps", "1.2.3.40", 1, 2));
        files.put("notes.txt", "not DICOM".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = importZip("?PROJECT_ID=P4", zip(files));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestHttp.text(r)).contains("notes.txt");
        Map<String, byte[]> truncated = new LinkedHashMap<>(study("Eps", "1.2.3.40", 1, 1));
        byte[] whole = truncated.values().iterator().next();
        truncated.put("cut.dcm", java.util.Arrays.copyOf(whole, 300));
        assertThat(importZip("?PROJECT_ID=P4", zip(truncated)).statusCode()).isEqualTo(400);
        assertThat(prearchive("P4")).isEmpty();
        assertThat(tmpFiles()).isEmpty();

        HttpResponse<byte[]> ignoring = importZip("?PROJECT_ID=P4&Ignore-Unparsable=true", zip(files));
        assertThat(ignoring.statusCode()).as(TestHttp.text(ignoring)).isEqualTo(200);
        assertThat(prearchive("P4")).hasSize(1);

        assertThat(importZip("?PROJECT_ID=P4", zip(Map.of())).statusCode()).isEqualTo(400);
        assertThat(importZip("?PROJECT_ID=NOPE", zip(files)).statusCode()).isEqualTo(404);
        assertThat(importZip("?PROJECT_ID=P4&import-handler=nonsense", zip(files))
                        .statusCode())
                .isEqualTo(404);
        assertThat(importZip("?PROJECT_ID=P4", new byte[0]).statusCode()).isEqualTo(400);
        TestHttp.Multipart two = TestHttp.multipart(Map.of("a.zip", zip(files), "b.zip", zip(files)), Map.of());
        HttpResponse<byte[]> twoParts = http.post("/data/services/import?PROJECT_ID=P4", two.contentType(), two.body());
        assertThat(twoParts.statusCode()).isEqualTo(400);
        assertThat(TestHttp.text(twoParts)).contains("Importer is limited to one uploaded resource at a time.");
        TestHttp.Multipart one =
                TestHttp.multipart(Map.of("a.zip", zip(study("Zeta", "1.2.3.41", 1, 1))), Map.of("PROJECT_ID", "P4"));
        assertThat(http.post("/data/services/import", one.contentType(), one.body())
                        .statusCode())
                .isEqualTo(200);
        assertThat(prearchive("P4")).hasSize(2);
        TestHttp alice = new TestHttp(xnat.server().baseUrl(), "alice", "pw", false);
        HttpResponse<byte[]> denied = alice.post("/data/services/import?PROJECT_ID=P4", "application/zip", zip(files));
        assertThat(denied.statusCode()).as(TestHttp.text(denied)).isEqualTo(404);
        assertThat(tmpFiles()).isEmpty();
    }

    /** What the import service staged (entries, multipart parts); the router removes request bodies itself. */
    private static List<Path> tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(DATA.resolve("tmp"))) {
            return s.filter(p -> !p.getFileName().toString().endsWith("-body")).toList();
        }
    }

    @Test
    void sessionsMoveCommitAndDeleteThroughActionsAndServices() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(study("Eta", "1.2.3.50", 1, 1));
        files.putAll(study("Theta", "1.2.3.51", 1, 1));
        files.putAll(study("Iota", "1.2.3.52", 1, 1));
        List<String> uris = uris(importZip("?PROJECT_ID=P5&dest=" + enc("/prearchive/projects/P5"), zip(files)));
        assertThat(prearchive("P5")).extracting(n -> n.get("status").asString()).containsOnly("READY");

        HttpResponse<byte[]> moved = http.post(uris.get(0) + "?action=move&newProject=P3", "text/plain", new byte[0]);
        assertThat(moved.statusCode()).isEqualTo(301);
        String movedUri = TestHttp.text(moved).trim();
        assertThat(movedUri).startsWith("/data/prearchive/projects/P3/").endsWith("/Eta_MR1");
        HttpResponse<byte[]> committed =
                http.post(movedUri + "?action=commit", "application/x-www-form-urlencoded", new byte[0]);
        assertThat(committed.statusCode()).as(TestHttp.text(committed)).isEqualTo(301);
        assertThat(TestHttp.text(committed).trim())
                .isEqualTo("/data/archive/projects/P3/subjects/Eta/experiments/Eta_MR1");

        String src = uris.get(1).substring(5);
        HttpResponse<byte[]> batchMove = http.post(
                "/data/services/prearchive/move",
                "application/x-www-form-urlencoded",
                ("src=" + enc(src) + "&newProject=P6&async=false").getBytes(StandardCharsets.UTF_8));
        assertThat(batchMove.statusCode()).as(TestHttp.text(batchMove)).isEqualTo(200);
        assertThat(prearchive("P5")).hasSize(1);
        HttpResponse<byte[]> rebuilt = http.post(
                "/data/services/prearchive/rebuild?src=" + enc(uris.get(2).substring(5)), "text/plain", new byte[0]);
        assertThat(rebuilt.statusCode()).isEqualTo(200);
        assertThat(http.post("/data/services/prearchive/delete?src=" + enc(src), "text/plain", new byte[0])
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<byte[]> deleted = http.post(
                "/data/services/prearchive/delete",
                "application/x-www-form-urlencoded",
                ("src=" + enc(uris.get(2).substring(5)) + "&async=false").getBytes(StandardCharsets.UTF_8));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(prearchive("P5")).isEmpty();
        assertThat(http.get(uris.get(2) + "?format=json").statusCode()).isEqualTo(404);
    }

    @Test
    void seededFilesAreDicomThatImportsAsTheSessionTheyCameFrom() throws Exception {
        String files = "/data/projects/SEEDED/experiments/SEEDED_S001_MR1/scans/ALL/resources/DICOM/files";
        HttpResponse<byte[]> z = http.get(files + "?format=zip");
        assertThat(z.statusCode()).isEqualTo(200);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(z.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(entries).hasSize(6);
        HttpResponse<byte[]> r = importZip("?PROJECT_ID=P3", zip(entries));
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
        String uri = uris(r).get(0);
        assertThat(uri).endsWith("/SEEDED_S001_MR1");
        assertThat(TestHttp.rows(http.get(uri + "/scans?format=json")))
                .extracting(n -> n.get("series_description").asString())
                .containsExactly("T1w", "T2w");
    }

    @Test
    void dicomdumpListsTheHeaderOfASessionsFirstFileInTheArchiveAndThePrearchive() throws Exception {
        List<String> uris = uris(importZip(
                "?PROJECT_ID=P6&dest=" + enc("/prearchive/projects/P6"), zip(study("Lambda", "1.2.3.70", 2, 1))));
        String prearc = uris.get(0).substring(5);
        List<JsonNode> rows = TestHttp.rows(http.get("/data/services/dicomdump?format=json&src=" + enc(prearc)));
        Map<String, JsonNode> byTag = new LinkedHashMap<>();
        rows.forEach(r -> byTag.put(r.get("tag1").asString(), r));
        assertThat(byTag.get("(0020,000D)").get("value").asString()).isEqualTo("1.2.3.70");
        assertThat(byTag.get("(0020,000D)").get("desc").asString()).isEqualTo("Study Instance UID");
        assertThat(byTag.get("(0010,0010)").get("vr").asString()).isEqualTo("PN");
        assertThat(byTag).doesNotContainKey("(7FE0,0010)");
        List<JsonNode> scan2 =
                TestHttp.rows(http.get("/data/services/dicomdump?format=json&src=" + enc(prearc + "/scans/2")));
        assertThat(scan2)
                .anyMatch(r -> r.get("tag1").asString().equals("(0020,0011)")
                        && r.get("value").asString().equals("2"));

        http.post("/data/services/archive?src=" + enc(prearc), "text/plain", new byte[0]);
        for (String src : List.of(
                "/archive/projects/P6/experiments/Lambda_MR1",
                "/archive/projects/P6/subjects/Lambda/experiments/Lambda_MR1/scans/1")) {
            assertThat(TestHttp.rows(http.get("/data/services/dicomdump?format=json&src=" + enc(src))))
                    .as(src)
                    .anyMatch(r -> r.get("desc").asString().equals("Patient's Name")
                            && r.get("value").asString().equals("Lambda"));
        }
        assertThat(http.get("/data/services/dicomdump?src=" + enc("/archive/projects/P6/experiments/NONE"))
                        .statusCode())
                .isEqualTo(404);
        assertThat(http.get("/data/services/dicomdump").statusCode()).isEqualTo(400);
    }
}
