package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /data/services/refresh/catalog}: append, checksum and delete bring a catalog in line with the disk. */
class RefreshCatalogTest {
    private static final String SESSION = "/data/projects/RC/subjects/RC_S001/experiments/RC_S001_MR1";
    private static final String FILES = SESSION + "/scans/1/resources/DICOM/files";
    private static final String ARCHIVE_PATH =
            "/archive/projects/RC/subjects/RC_S001/experiments/RC_S001_MR1/scans/1/resources/DICOM";
    private static final String REFRESH = "/data/services/refresh/catalog";

    private static XnatTestServer start() {
        return XnatTestServer.builder()
                .user("admin", "admin")
                .user("bob", "bobpw")
                .seed(SeedSpec.parse("RC:1x1x1x3x1K"))
                .start();
    }

    /** Name to digest, and Size by name under "size:" keys. */
    private static Map<String, String> listing(TestHttp http) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode r : TestHttp.rows(http.get(FILES + "?format=json"))) {
            out.put(r.get("Name").asString(), r.get("digest").asString());
            out.put("size:" + r.get("Name").asString(), r.get("Size").asString());
        }
        return out;
    }

    private static Path resourceDir(XnatTestServer server, TestHttp http) {
        String id = TestHttp.rows(http.get(SESSION + "/scans/1/resources?format=json"))
                .get(0)
                .get("xnat_abstractresource_id")
                .asString();
        return server.dataDir().resolve("archive").resolve(id);
    }

    private static HttpResponse<byte[]> refresh(TestHttp http, String query) {
        return http.post(REFRESH + "?" + query, "text/plain", new byte[0]);
    }

    @Test
    void appendChecksumAndDeleteFollowTheFilesOnDisk() throws Exception {
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            Map<String, String> before = listing(http);
            Path dir = resourceDir(server, http);
            java.util.List<String> names =
                    before.keySet().stream().filter(k -> !k.startsWith("size:")).toList();
            assertThat(names).hasSize(3);
            String first = names.get(0);
            byte[] changed = "changed bytes".getBytes(StandardCharsets.UTF_8);
            byte[] extra = "a file the catalog does not list".getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve(first), changed);
            Files.createDirectories(dir.resolve("extra"));
            Files.write(dir.resolve("extra/new.txt"), extra);
            String gone = names.get(1);
            Files.delete(dir.resolve(gone));

            // append only: the new file is listed, the others are as they were
            HttpResponse<byte[]> r = refresh(http, "resource=" + ARCHIVE_PATH + "&options=append");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            Map<String, String> appended = listing(http);
            assertThat(appended).containsEntry("new.txt", FilesTest.md5(extra));
            assertThat(appended).containsEntry(first, before.get(first)).containsKey(gone);

            // checksum and delete, repeated and comma-separated forms
            r = refresh(http, "resource=" + ARCHIVE_PATH + "&options=checksum,delete");
            assertThat(r.statusCode()).isEqualTo(200);
            Map<String, String> after = listing(http);
            assertThat(after).containsEntry(first, FilesTest.md5(changed));
            assertThat(after).containsEntry("size:" + first, Integer.toString(changed.length));
            assertThat(after).doesNotContainKey(gone);
            // the zip of the resource matches the disk again
            HttpResponse<byte[]> zip = http.get(FILES + "?format=zip");
            assertThat(zip.statusCode()).isEqualTo(200);
            try (java.util.zip.ZipInputStream z =
                    new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
                int n = 0;
                while (z.getNextEntry() != null) {
                    z.readAllBytes(); // checks each entry's CRC-32, which checksum refreshed
                    n++;
                }
                assertThat(n).isEqualTo(3);
            }
        }
    }

    @Test
    void everyOptionByDefaultAndAnyObjectByAccessionId() throws Exception {
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            Path dir = resourceDir(server, http);
            Files.write(dir.resolve("later.dcm"), new byte[] {1, 2, 3});
            String id = TestHttp.json(http.get(SESSION + "?format=json"))
                    .get("items")
                    .get(0)
                    .get("data_fields")
                    .get("ID")
                    .asString();
            HttpResponse<byte[]> r =
                    refresh(http, "resource=/archive/experiments/" + id + "/scans/1&resource=" + ARCHIVE_PATH);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(listing(http)).containsKey("later.dcm");
        }
    }

    @Test
    void badRequestsAreRefused() {
        try (XnatTestServer server = start()) {
            TestHttp http = new TestHttp(server);
            assertThat(refresh(http, "options=append").statusCode()).isEqualTo(400);
            assertThat(refresh(http, "resource=/archive/projects/RC/resources/NOPE")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(refresh(http, "resource=/archive/projects/NOPE").statusCode())
                    .isEqualTo(404);
            assertThat(refresh(http, "resource=" + ARCHIVE_PATH + "/files/x.dcm")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(refresh(http, "resource=" + ARCHIVE_PATH + "&options=shuffle")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(refresh(http, "resource=/elsewhere/x").statusCode()).isEqualTo(400);
            assertThat(http.get(REFRESH + "?resource=" + ARCHIVE_PATH).statusCode())
                    .isEqualTo(405);

            // bob can read the project once it is public, but not change it
            assertThat(http.put("/data/projects/RC/accessibility/public").statusCode())
                    .isEqualTo(200);
            TestHttp bob = new TestHttp(server.baseUrl(), "bob", "bobpw", false);
            assertThat(bob.get(FILES + "?format=json").statusCode()).isEqualTo(200);
            assertThat(refresh(bob, "resource=" + ARCHIVE_PATH).statusCode()).isEqualTo(403);
        }
    }
}
