package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class SmokeTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x2x3x4K")));

    @Test
    void seededProjectIsListedAndItsFilesDownloadWithTheirDigest() throws Exception {
        TestHttp http = new TestHttp(xnat.server());
        List<JsonNode> projects = TestHttp.rows(http.get("/data/projects?format=json"));
        assertThat(projects).extracting(p -> p.get("ID").asString()).containsExactly("DEMO");
        List<JsonNode> files = TestHttp.rows(
                http.get(
                        "/data/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/1/resources/DICOM/files?format=json"));
        assertThat(files).hasSize(3);
        JsonNode f = files.get(0);
        HttpResponse<byte[]> body = http.get(f.get("URI").asString());
        assertThat(body.statusCode()).isEqualTo(200);
        assertThat(body.body()).hasSize(4096);
        byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(body.body());
        assertThat(java.util.HexFormat.of().formatHex(md5))
                .isEqualTo(f.get("digest").asString());
    }
}
