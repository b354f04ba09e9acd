package io.github.xnatreactive.testkit;

import static io.github.xnatreactive.testkit.TestHttp.rows;
import static io.github.xnatreactive.testkit.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The search API on the wire (contract section 7): the documents pyxnat and the wiki send, XNAT's row keys and
 * {@code Columns} block, CSV and XML, caching, stored searches in pyxnat's shape, the element listings and the
 * errors. The SDK's search tests cover comparisons and joins in depth.
 */
class SearchTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(
            b -> b.user("admin", "admin").user("eve", "eve").seed(SeedSpec.parse("DEMO:2x1x2x0x200")));

    private static TestHttp http;

    @BeforeAll
    static void data() {
        http = new TestHttp(xnat.server());
    }

    /** A pyxnat-style bundle: columns as type/FIELD, constraints as (field, op, value) with an AND method. */
    static byte[] bundle(String root, List<String> columns, String method, String... criteria) {
        StringBuilder b = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?>\n<xdat:bundle"
                + " xmlns:xdat=\"http://nrg.wustl.edu/security\" ID=\"@" + root + "\" brief-description=\"\""
                + " description=\"\" allow-diff-columns=\"0\" secure=\"false\"><xdat:root_element_name>" + root
                + "</xdat:root_element_name>");
        int i = 0;
        for (String c : columns) {
            String[] p = c.split("/", 2);
            b.append("<xdat:search_field><xdat:element_name>")
                    .append(p[0])
                    .append("</xdat:element_name><xdat:field_ID>")
                    .append(p[1])
                    .append("</xdat:field_ID><xdat:sequence>")
                    .append(i++)
                    .append("</xdat:sequence><xdat:type>string</xdat:type><xdat:header>")
                    .append(c)
                    .append("</xdat:header></xdat:search_field>");
        }
        b.append("<xdat:search_where method=\"").append(method).append("\">");
        for (int k = 0; k < criteria.length; k += 3) {
            b.append("<xdat:criteria override_value_formatting=\"0\"><xdat:schema_field>")
                    .append(criteria[k])
                    .append("</xdat:schema_field><xdat:comparison_type>")
                    .append(criteria[k + 1])
                    .append("</xdat:comparison_type><xdat:value>")
                    .append(criteria[k + 2])
                    .append("</xdat:value></xdat:criteria>");
        }
        b.append("</xdat:search_where></xdat:bundle>");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSessionSearchHasXnatsRowKeysColumnsAndMeta() {
        byte[] doc = bundle(
                "xnat:mrSessionData",
                List.of("xnat:mrSessionData/LABEL", "xnat:subjectData/SUBJECT_LABEL", "xnat:mrSessionData/PROJECT"),
                "AND",
                "xnat:subjectData/SUBJECT_LABEL",
                "=",
                "DEMO_S002");
        HttpResponse<byte[]> r = http.post("/data/search?format=json", "text/xml", doc);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode set = TestHttp.json(r).path("ResultSet");
        assertThat(set.path("totalRecords").asString()).isEqualTo("1");
        assertThat(set.path("rootElementName").asString()).isEqualTo("xnat:mrSessionData");
        JsonNode row = set.path("Result").path(0);
        assertThat(row.path("label").asString()).isEqualTo("DEMO_S002_MR1");
        assertThat(row.path("xnat_subjectdata_subject_label").asString()).isEqualTo("DEMO_S002");
        assertThat(row.path("project").asString()).isEqualTo("DEMO");
        JsonNode col = set.path("Columns").path(1);
        assertThat(col.path("key").asString()).isEqualTo("xnat_subjectdata_subject_label");
        assertThat(col.path("element_name").asString()).isEqualTo("xnat:subjectData");
        assertThat(col.path("id").asString()).isEqualTo("SUBJECT_LABEL");
        assertThat(col.path("xPATH").asString()).isEqualTo("xnat:subjectData.SUBJECT_LABEL");
        assertThat(col.path("header").asString()).isEqualTo("xnat:subjectData/SUBJECT_LABEL");
    }

    @Test
    void csvAndXmlAndAMultipartDocument() {
        byte[] doc = bundle(
                "xnat:subjectData",
                List.of("xnat:subjectData/SUBJECT_LABEL", "xnat:subjectData/GENDER_TEXT"),
                "AND",
                "xnat:subjectData/ID",
                "LIKE",
                "%");
        String csv = text(http.post("/data/search?format=csv", "", doc));
        assertThat(csv.split("\n")).containsExactly("subject_label,gender_text", "DEMO_S001,male", "DEMO_S002,female");
        String xml = text(http.post("/data/search?format=xml", "text/xml", doc));
        assertThat(xml).startsWith("<ResultSet totalRecords=\"2\"").contains("<cell>DEMO_S002</cell>");
        TestHttp.Multipart m = TestHttp.multipart(Map.of("search.xml", doc), Map.of());
        assertThat(rows(http.post("/data/search?format=json", m.contentType(), m.body())))
                .hasSize(2);
    }

    @Test
    void cachedResultsAreReadByPage() {
        byte[] doc = bundle("xnat:mrScanData", List.of("xnat:mrScanData/ID", "xnat:mrScanData/TYPE"), "AND");
        JsonNode set = TestHttp.json(http.post("/data/search?format=json&cache=true", "text/xml", doc))
                .path("ResultSet");
        String id = set.path("ID").asString();
        assertThat(id).isNotEmpty();
        assertThat(set.path("totalRecords").asString()).isEqualTo("4");
        List<JsonNode> page = rows(http.get("/data/search/" + id + "?format=json&offset=1&limit=2&sortBy=type"));
        assertThat(page).extracting(n -> n.path("type").asString()).containsExactly("T1w", "T2w");
        TestHttp eve = new TestHttp(xnat.server().baseUrl(), "eve", "eve", false);
        assertThat(eve.get("/data/search/" + id + "?format=json").statusCode()).isEqualTo(404);
    }

    @Test
    void storedSearchesAsPyxnatManagesThem() {
        byte[] doc = bundle(
                "xnat:subjectData",
                List.of("xnat:subjectData/SUBJECT_LABEL"),
                "AND",
                "xnat:subjectData/SUBJECT_LABEL",
                "LIKE",
                "%1");
        String named =
                new String(doc, StandardCharsets.UTF_8).replace("brief-description=\"\"", "brief-description=\"ones\"");
        HttpResponse<byte[]> put =
                http.put("/data/search/saved/ones?inbody=true", "", named.getBytes(StandardCharsets.UTF_8));
        assertThat(put.statusCode()).isEqualTo(201);
        List<JsonNode> saved = rows(http.get("/data/search/saved?format=json"));
        assertThat(saved)
                .extracting(n -> n.path("brief_description").asString())
                .containsExactly("ones");
        assertThat(saved.get(0).path("id").asString()).isEqualTo("ones");
        String xml = text(http.get("/data/search/saved/ones"));
        assertThat(xml).contains("ID=\"ones\"").contains("root_element_name>xnat:subjectData<");
        String csv = text(http.get("/data/search/saved/ones/results?format=csv"));
        assertThat(csv.split("\n")).containsExactly("subject_label", "DEMO_S001");
        TestHttp eve = new TestHttp(xnat.server().baseUrl(), "eve", "eve", false);
        // shared with everyone (no allowed users), but eve reads no project: no rows, no error
        assertThat(text(eve.get("/data/search/saved/ones/results?format=csv"))).isEqualTo("subject_label\n");
        assertThat(eve.delete("/data/search/saved/ones").statusCode()).isEqualTo(403);
        assertThat(http.delete("/data/search/saved/ones").statusCode()).isEqualTo(200);
        assertThat(http.get("/data/search/saved/ones").statusCode()).isEqualTo(404);
    }

    @Test
    void elementsAndTheirFields() {
        List<JsonNode> elements = rows(http.get("/data/search/elements?format=json"));
        assertThat(elements).anySatisfy(n -> {
            assertThat(n.path("ELEMENT_NAME").asString()).isEqualTo("xnat:mrScanData");
            assertThat(n.path("COUNT").asString()).isEqualTo("4");
            assertThat(n.path("SECURED").asString()).isEqualTo("true");
        });
        assertThat(elements).anySatisfy(n -> {
            assertThat(n.path("ELEMENT_NAME").asString()).isEqualTo("xnat:investigatorData");
            assertThat(n.path("SECURED").asString()).isEqualTo("false");
        });
        assertThat(TestHttp.json(http.get("/data/search/elements?format=json"))
                        .path("ResultSet")
                        .path("title")
                        .asString())
                .isEqualTo("Data-Types");
        assertThat(rows(http.get("/data/search/elements?format=json&used")))
                .extracting(n -> n.path("ELEMENT_NAME").asString())
                .contains("xnat:projectData", "xnat:subjectData", "xnat:mrSessionData", "xnat:mrScanData")
                .doesNotContain("xnat:petSessionData");
        List<JsonNode> fields = rows(http.get("/data/search/elements/xnat:mrSessionData?format=json"));
        assertThat(fields).extracting(n -> n.path("FIELD_ID").asString()).contains("LABEL", "AGE", "PROJECT");
        assertThat(fields.get(0).path("ELEMENT_NAME").asString()).isEqualTo("xnat:mrSessionData");
        assertThat(http.get("/data/search/elements/foo:barData?format=json").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theExperimentListingJoinsScanColumnsAsArrayScansReadsThem() {
        List<JsonNode> rows = rows(
                http.get(
                        "/data/experiments?xsiType=xnat:mrSessionData&project=DEMO&columns=ID,label,xnat:mrScanData/ID&format=json"));
        assertThat(rows)
                .extracting(n -> n.path("label").asString() + "/"
                        + n.path("xnat:mrscandata/id").asString())
                .containsExactlyInAnyOrder("DEMO_S001_MR1/1", "DEMO_S001_MR1/2", "DEMO_S002_MR1/1", "DEMO_S002_MR1/2");
        // without a scan column, one row per session as before
        assertThat(rows(http.get(
                        "/data/experiments?xsiType=xnat:mrSessionData&project=DEMO&columns=ID,label&format=json")))
                .hasSize(2);
    }

    @Test
    void xnatsErrors() {
        assertThat(http.get("/data/search?format=json").statusCode()).isEqualTo(405);
        assertThat(http.post("/data/search?format=json", "text/xml", "<not xml".getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(422);
        assertThat(http.post(
                                "/data/search",
                                "text/xml",
                                "<xnat:Subject xmlns:xnat=\"x\"/>".getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(422);
        HttpResponse<byte[]> unknown = http.post(
                "/data/search", "text/xml", bundle("xnat:subjectData", List.of("xnat:subjectData/NOPE"), "AND"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(text(unknown)).contains("Unknown field: xnat:subjectData.NOPE");
        assertThat(http.post("/data/search", "text/xml", bundle("xdat:user", List.of("xdat:user/LOGIN"), "AND"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(http.post(
                                "/data/search",
                                "text/xml",
                                bundle(
                                        "xnat:subjectData",
                                        List.of("xnat:subjectData/SUBJECT_LABEL"),
                                        "AND",
                                        "xnat:subjectData/SUBJECT_LABEL",
                                        "~",
                                        "x"))
                        .statusCode())
                .isEqualTo(400);
    }
}
