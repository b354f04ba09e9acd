package io.github.xnatreactive.testkit;

import static io.github.xnatreactive.testkit.TestHttp.rows;
import static io.github.xnatreactive.testkit.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/** Listings (contract section 2): prefixes, default columns, columns=, filters, sorting, paging, formats, errors. */
class ListingTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x2x2x1x1K")));

    private static TestHttp http;
    private static String mr1Id;
    private static String assessorId;

    @BeforeAll
    static void data() {
        http = new TestHttp(xnat.server());
        ok(http.put("/data/projects/DEMO?alias=DEMOALIAS"), 200);
        ok(http.put("/data/projects/OTHER"), 200);
        ok(http.put("/data/projects/OTHER/subjects/O1?group=a,%22b%22"), 201);
        ok(
                http.put(
                        "/data/projects/OTHER/subjects/O1/experiments/OTHER_PET1?xsiType=xnat:petSessionData&date=2023-05-06"),
                201);
        mr1Id = TestHttp.json(http.get("/data/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1?format=json"))
                .path("items")
                .path(0)
                .path("data_fields")
                .path("ID")
                .asString();
        assertThat(mr1Id).matches("XNAT_E\\d{5}");
        HttpResponse<byte[]> a = http.put(
                "/data/experiments/" + mr1Id + "/assessors/QC1?xsiType=xnat:qcManualAssessorData&date=2024-06-01");
        ok(a, 201);
        assessorId = text(a);
        ok(http.put("/data/experiments/" + mr1Id + "/reconstructions/R1?type=FSL&baseScanType=T1w"), 200);
    }

    private static void ok(HttpResponse<byte[]> r, int status) {
        assertThat(r.statusCode()).as("%s: %s", r.uri(), text(r)).isEqualTo(status);
    }

    private static Set<String> keys(JsonNode row) {
        return new HashSet<>(row.propertyNames());
    }

    private static List<String> column(List<JsonNode> rows, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(r.get(name).asString());
        }
        return out;
    }

    private static JsonNode resultSet(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        return TestHttp.json(r).path("ResultSet");
    }

    @Test
    void dataRestAndArchivePrefixesGiveTheSameListings() {
        for (String path : List.of(
                "/projects?format=json",
                "/projects/DEMO/subjects?format=json",
                "/projects/DEMO/experiments?format=csv",
                "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans?format=xml")) {
            HttpResponse<byte[]> data = http.get("/data" + path);
            assertThat(data.statusCode()).as(path).isEqualTo(200);
            assertThat(text(http.get("/REST" + path))).as(path).isEqualTo(text(data));
            assertThat(text(http.get("/data/archive" + path))).as(path).isEqualTo(text(data));
        }
        // a project alias names the same project
        assertThat(text(http.get("/data/projects/DEMOALIAS/subjects?format=json")))
                .isEqualTo(text(http.get("/data/projects/DEMO/subjects?format=json")));
        assertThat(text(http.get("/REST/projects/DEMOALIAS/experiments?format=json")))
                .isEqualTo(text(http.get("/data/projects/DEMO/experiments?format=json")));
    }

    @Test
    void projectListingDefaultColumns() {
        JsonNode rs = resultSet(http.get("/data/projects?format=json"));
        List<JsonNode> rows = rs.path("Result").valueStream().toList();
        assertThat(column(rows, "ID")).containsExactlyInAnyOrder("DEMO", "OTHER");
        for (JsonNode p : rows) {
            assertThat(keys(p))
                    .containsExactlyInAnyOrder(
                            "ID", "secondary_ID", "name", "description", "pi_firstname", "pi_lastname", "URI");
            assertThat(p.get("URI").asString())
                    .isEqualTo("/data/projects/" + p.get("ID").asString());
        }
        assertThat(rs.path("totalRecords").isString()).isTrue();
        assertThat(rs.path("totalRecords").asString()).isEqualTo("2");
        assertThat(rs.has("Columns")).isFalse();
    }

    @Test
    void subjectListingDefaultColumns() {
        for (String path :
                List.of("/data/projects/DEMO/subjects?format=json", "/data/subjects?project=DEMO&format=json")) {
            JsonNode rs = resultSet(http.get(path));
            List<JsonNode> rows = rs.path("Result").valueStream().toList();
            assertThat(column(rows, "label")).as(path).containsExactlyInAnyOrder("DEMO_S001", "DEMO_S002");
            assertThat(rs.path("totalRecords").asString()).isEqualTo("2");
            for (JsonNode s : rows) {
                assertThat(keys(s))
                        .containsExactlyInAnyOrder("ID", "project", "label", "insert_date", "insert_user", "URI");
                assertThat(s.get("ID").asString()).matches("XNAT_S\\d{5}");
                assertThat(s.get("URI").asString())
                        .isEqualTo("/data/subjects/" + s.get("ID").asString());
                assertThat(s.get("project").asString()).isEqualTo("DEMO");
                assertThat(s.get("insert_date").asString())
                        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
                assertThat(s.get("insert_user").asString()).isEqualTo("admin");
            }
        }
        assertThat(rows(http.get("/data/subjects?format=json"))).hasSize(3);
    }

    @Test
    void projectExperimentListingDefaultColumns() {
        JsonNode rs = resultSet(http.get("/data/projects/DEMO/experiments?format=json"));
        List<JsonNode> rows = rs.path("Result").valueStream().toList();
        assertThat(column(rows, "label"))
                .containsExactlyInAnyOrder("DEMO_S001_MR1", "DEMO_S001_MR2", "DEMO_S002_MR1", "DEMO_S002_MR2");
        assertThat(rs.path("totalRecords").asString()).isEqualTo("4");
        for (JsonNode e : rows) {
            assertThat(keys(e))
                    .containsExactlyInAnyOrder(
                            "xnat:subjectassessordata/id",
                            "ID",
                            "project",
                            "date",
                            "xsiType",
                            "label",
                            "insert_date",
                            "URI");
            assertThat(e.get("xnat:subjectassessordata/id").asString())
                    .isEqualTo(e.get("ID").asString());
            assertThat(e.get("ID").asString()).matches("XNAT_E\\d{5}");
            assertThat(e.get("xsiType").asString()).isEqualTo("xnat:mrSessionData");
            assertThat(e.get("date").asString()).matches("\\d{4}-\\d\\d-\\d\\d");
            assertThat(e.get("URI").asString())
                    .isEqualTo("/data/experiments/" + e.get("ID").asString());
        }
        // under a subject: only its experiments
        assertThat(column(rows(http.get("/data/projects/DEMO/subjects/DEMO_S002/experiments?format=json")), "label"))
                .containsExactlyInAnyOrder("DEMO_S002_MR1", "DEMO_S002_MR2");
    }

    @Test
    void globalExperimentListing() {
        JsonNode rs = resultSet(http.get("/data/experiments?format=json"));
        assertThat(rs.path("title").asString()).isEqualTo("Matching experiments");
        List<JsonNode> rows = rs.path("Result").valueStream().toList();
        assertThat(column(rows, "label")).contains("DEMO_S001_MR1", "OTHER_PET1");
        assertThat(rs.path("totalRecords").asString()).isEqualTo(Integer.toString(rows.size()));
        for (JsonNode e : rows) {
            assertThat(keys(e))
                    .containsExactlyInAnyOrder("ID", "project", "date", "xsiType", "label", "insert_date", "URI");
        }

        // a subject assessor root type adds the subject columns and lists only that type
        List<JsonNode> mr = rows(http.get("/data/experiments?xsiType=xnat:mrSessionData&format=json"));
        assertThat(mr).hasSize(4);
        for (JsonNode e : mr) {
            assertThat(keys(e))
                    .containsExactlyInAnyOrder(
                            "ID",
                            "project",
                            "date",
                            "xsiType",
                            "label",
                            "insert_date",
                            "subject_ID",
                            "subject_label",
                            "URI");
            assertThat(e.get("subject_label").asString())
                    .isEqualTo(e.get("label").asString().substring(0, 9));
            assertThat(e.get("subject_ID").asString()).matches("XNAT_S\\d{5}");
        }
        JsonNode pet = rows(http.get("/data/experiments?xsiType=xnat:petSessionData&format=json"))
                .get(0);
        assertThat(pet.get("label").asString()).isEqualTo("OTHER_PET1");
        assertThat(pet.get("subject_label").asString()).isEqualTo("O1");
        assertThat(pet.get("date").asString()).isEqualTo("2023-05-06");

        // an image assessor root type adds the session columns (contract 2.4)
        List<JsonNode> qc = rows(http.get("/data/experiments?xsiType=xnat:qcManualAssessorData&format=json"));
        assertThat(qc).hasSize(1);
        assertThat(keys(qc.get(0)))
                .containsExactlyInAnyOrder(
                        "ID",
                        "project",
                        "date",
                        "xsiType",
                        "label",
                        "insert_date",
                        "session_ID",
                        "session_label",
                        "URI");
        assertThat(qc.get(0).get("session_ID").asString()).isEqualTo(mr1Id);
        assertThat(qc.get(0).get("session_label").asString()).isEqualTo("DEMO_S001_MR1");
        assertThat(qc.get(0).get("URI").asString()).isEqualTo("/data/experiments/" + assessorId);
    }

    @Test
    void scanListingDefaultColumns() {
        JsonNode rs = resultSet(http.get("/data/experiments/" + mr1Id + "/scans?format=json"));
        List<JsonNode> rows = rs.path("Result").valueStream().toList();
        assertThat(rs.path("totalRecords").asString()).isEqualTo("2");
        assertThat(column(rows, "ID")).containsExactlyInAnyOrder("1", "2");
        for (JsonNode s : rows) {
            assertThat(keys(s))
                    .containsExactlyInAnyOrder(
                            "xnat_imagescandata_id",
                            "ID",
                            "type",
                            "quality",
                            "xsiType",
                            "note",
                            "series_description",
                            "URI");
            assertThat(s.get("xnat_imagescandata_id").asString()).matches("\\d+");
            assertThat(s.get("URI").asString())
                    .isEqualTo("/data/experiments/" + mr1Id + "/scans/"
                            + s.get("ID").asString());
            assertThat(s.get("xsiType").asString()).isEqualTo("xnat:mrScanData");
            assertThat(s.get("quality").asString()).isEqualTo("usable");
        }
        JsonNode one = rows.stream()
                .filter(s -> s.get("ID").asString().equals("1"))
                .findFirst()
                .orElseThrow();
        assertThat(one.get("type").asString()).isEqualTo("T1w");
        assertThat(one.get("series_description").asString()).isEqualTo("T1w");
        assertThat(one.get("note").asString()).isEmpty();
    }

    @Test
    void assessorAndReconstructionListingDefaultColumns() {
        JsonNode rs = resultSet(http.get("/data/projects/DEMO/experiments/DEMO_S001_MR1/assessors?format=json"));
        List<JsonNode> rows = rs.path("Result").valueStream().toList();
        assertThat(rows).hasSize(1);
        JsonNode a = rows.get(0);
        assertThat(keys(a))
                .contains("ID", "project", "label", "date", "xsiType", "insert_date", "URI")
                .containsAnyOf("xnat:imageassessordata/id", "xnat:experimentdata/id");
        assertThat(a.get("ID").asString()).isEqualTo(assessorId);
        assertThat(a.get("label").asString()).isEqualTo("QC1");
        assertThat(a.get("date").asString()).isEqualTo("2024-06-01");
        assertThat(a.get("xsiType").asString()).isEqualTo("xnat:qcManualAssessorData");
        assertThat(a.get("URI").asString()).isEqualTo("/data/experiments/" + assessorId);
        assertThat(rs.path("totalRecords").asString()).isEqualTo("1");

        List<JsonNode> recons = rows(http.get("/data/experiments/" + mr1Id + "/reconstructions?format=json"));
        assertThat(recons).hasSize(1);
        JsonNode r = recons.get(0);
        assertThat(keys(r))
                .containsExactlyInAnyOrder("xnat_reconstructedimagedata_id", "ID", "type", "baseScanType", "URI");
        assertThat(r.get("ID").asString()).isEqualTo("R1");
        assertThat(r.get("type").asString()).isEqualTo("FSL");
        assertThat(r.get("baseScanType").asString()).isEqualTo("T1w");
        assertThat(r.get("URI").asString()).isEqualTo("/data/experiments/" + mr1Id + "/reconstructions/R1");
    }

    @Test
    void everyJsonValueIsAStringAndEveryUriStartsWithData() {
        for (String path : List.of(
                "/data/projects?format=json",
                "/data/projects/DEMO/subjects?format=json",
                "/data/subjects?format=json",
                "/data/projects/DEMO/experiments?format=json",
                "/data/experiments?format=json",
                "/data/experiments?xsiType=xnat:mrSessionData&format=json",
                "/data/experiments/" + mr1Id + "/scans?format=json",
                "/data/experiments/" + mr1Id + "/assessors?format=json",
                "/data/experiments/" + mr1Id + "/reconstructions?format=json")) {
            JsonNode rs = resultSet(http.get(path));
            assertThat(rs.path("Result").isArray()).isTrue();
            assertThat(rs.path("Result").size()).as(path).isPositive();
            for (JsonNode row : rs.path("Result")) {
                for (Map.Entry<String, JsonNode> cell : row.properties()) {
                    assertThat(cell.getValue().isString())
                            .as("%s %s", path, cell)
                            .isTrue();
                }
                assertThat(row.get("URI").asString()).as(path).startsWith("/data/");
            }
            for (Map.Entry<String, JsonNode> meta : rs.properties()) {
                if (!meta.getKey().equals("Result")) {
                    assertThat(meta.getValue().isString())
                            .as("%s %s", path, meta)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void columnsSelectsShortNamesAndXPathsAndAlwaysAddsKeyAndUri() {
        List<JsonNode> subjects = rows(http.get(
                "/data/projects/DEMO/subjects?format=json&columns=label,gender,xnat:subjectData/group,nonsense"));
        assertThat(subjects).hasSize(2);
        for (JsonNode s : subjects) {
            // xnat:subjectData/ID, the root's key, maps to the short name ID; an XPath with a short name of the
            // level comes back under that name (pyxnat reads subject_ID for {type}/subject_id, inventory 1.7)
            assertThat(keys(s)).containsExactlyInAnyOrder("label", "gender", "group", "ID", "URI");
        }
        JsonNode s1 = subjects.stream()
                .filter(s -> s.get("label").asString().equals("DEMO_S001"))
                .findFirst()
                .orElseThrow();
        assertThat(s1.get("gender").asString()).isEqualTo("male");
        assertThat(s1.get("group").asString()).isEqualTo("patient");

        List<JsonNode> exps = rows(
                http.get(
                        "/data/projects/DEMO/experiments?format=json&columns=label,xnat:mrSessionData/fieldStrength,scanner,subject_label"));
        for (JsonNode e : exps) {
            assertThat(keys(e))
                    .containsExactlyInAnyOrder(
                            "label", "fieldStrength", "scanner", "subject_label", "xnat:subjectassessordata/id", "URI");
            assertThat(e.get("fieldStrength").asString()).isEqualTo("3.0");
            assertThat(e.get("scanner").asString()).isEqualTo("SyntheticScanner");
        }

        List<JsonNode> scans = rows(http.get("/data/experiments/" + mr1Id + "/scans?format=json&columns=type,frames"));
        for (JsonNode s : scans) {
            assertThat(keys(s)).containsExactlyInAnyOrder("type", "frames", "xnat_imagescandata_id", "URI");
            assertThat(s.get("frames").asString()).isEqualTo("1");
        }
        // DEFAULT keeps the default set
        assertThat(keys(rows(http.get("/data/projects/DEMO/subjects?format=json&columns=DEFAULT,gender"))
                        .get(0)))
                .containsExactlyInAnyOrder("ID", "project", "label", "insert_date", "insert_user", "gender", "URI");
    }

    @Test
    void filtersOnLabelIdProjectTypeAndXPathFields() {
        assertThat(column(rows(http.get("/data/subjects?format=json&label=DEMO_S00*")), "label"))
                .containsExactlyInAnyOrder("DEMO_S001", "DEMO_S002");
        assertThat(column(rows(http.get("/data/subjects?format=json&label=DEMO_S001,O1")), "label"))
                .containsExactlyInAnyOrder("DEMO_S001", "O1");
        assertThat(column(rows(http.get("/data/projects/DEMO/experiments?format=json&label=*_MR1")), "label"))
                .containsExactlyInAnyOrder("DEMO_S001_MR1", "DEMO_S002_MR1");
        assertThat(column(rows(http.get("/data/experiments?format=json&ID=" + mr1Id)), "label"))
                .containsExactly("DEMO_S001_MR1");
        assertThat(rows(http.get("/data/experiments?format=json&project=OTHER")))
                .hasSize(1);
        assertThat(rows(http.get("/data/experiments?format=json&project=DEMO,OTHER&xsiType=xnat:mrSessionData")))
                .hasSize(4);
        assertThat(column(rows(http.get("/data/experiments?format=json&xsiType=xnat:imageSessionData")), "label"))
                .hasSize(5)
                .doesNotContain("QC1");
        assertThat(column(rows(http.get("/data/projects/DEMO/subjects?format=json&gender=female")), "label"))
                .containsExactly("DEMO_S002");
        assertThat(column(rows(http.get("/data/subjects?format=json&xnat:subjectData/group=cont*")), "label"))
                .containsExactly("DEMO_S002");
        assertThat(rows(http.get(
                        "/data/projects/DEMO/experiments?format=json&xnat:mrSessionData/fieldStrength=1.5-3.5")))
                .hasSize(4);
        assertThat(rows(http.get("/data/projects/DEMO/experiments?format=json&xnat:mrSessionData/fieldStrength=1.5")))
                .isEmpty();
        assertThat(column(rows(http.get("/data/experiments/" + mr1Id + "/scans?format=json&type=T2*")), "ID"))
                .containsExactly("2");
        assertThat(rows(http.get("/data/experiments?format=json&label=nothing*")))
                .isEmpty();
        // unknown parameters are not filters
        assertThat(rows(http.get("/data/projects/DEMO/subjects?format=json&whatever=x")))
                .hasSize(2);
    }

    @Test
    void sortByAndSortOrder() {
        List<String> asc = column(rows(http.get("/data/projects/DEMO/experiments?format=json&sortBy=label")), "label");
        assertThat(asc).containsExactly("DEMO_S001_MR1", "DEMO_S001_MR2", "DEMO_S002_MR1", "DEMO_S002_MR2");
        List<String> desc = column(
                rows(http.get("/data/projects/DEMO/experiments?format=json&sortBy=label&sortOrder=DESC")), "label");
        assertThat(desc).containsExactly("DEMO_S002_MR2", "DEMO_S002_MR1", "DEMO_S001_MR2", "DEMO_S001_MR1");
        List<String> byDate =
                column(rows(http.get("/data/projects/DEMO/experiments?format=json&sortBy=date,label")), "date");
        assertThat(byDate).isSortedAccordingTo(Comparator.naturalOrder());
        List<String> scans = column(
                rows(http.get("/data/experiments/" + mr1Id + "/scans?format=json&sortBy=ID&sortOrder=DESC")), "ID");
        assertThat(scans).containsExactly("2", "1");
        // an unknown sort column is ignored
        assertThat(rows(http.get("/data/projects/DEMO/experiments?format=json&sortBy=nonsense")))
                .hasSize(4);
    }

    @Test
    void limitAndOffsetPageSubjectsAndExperimentsAndDropTotalRecords() {
        Set<String> seen = new HashSet<>();
        for (int offset = 0; offset < 4; offset += 2) {
            JsonNode rs = resultSet(http.get("/data/projects/DEMO/experiments?format=json&limit=2&offset=" + offset));
            assertThat(rs.path("Result").size()).isEqualTo(2);
            assertThat(rs.has("totalRecords")).isFalse();
            rs.path("Result").forEach(r -> seen.add(r.get("label").asString()));
        }
        assertThat(seen).hasSize(4);
        assertThat(resultSet(http.get("/data/projects/DEMO/experiments?format=json&offset=10"))
                        .path("Result")
                        .size())
                .isZero();
        JsonNode subjects = resultSet(http.get("/data/subjects?format=json&limit=1"));
        assertThat(subjects.path("Result").size()).isEqualTo(1);
        assertThat(subjects.has("totalRecords")).isFalse();
        assertThat(resultSet(http.get("/data/subjects?format=json&limit=*"))
                        .path("Result")
                        .size())
                .isEqualTo(3);
        // scans are not paged
        JsonNode scans = resultSet(http.get("/data/experiments/" + mr1Id + "/scans?format=json&limit=1"));
        assertThat(scans.path("Result").size()).isEqualTo(2);
        assertThat(scans.path("totalRecords").asString()).isEqualTo("2");
    }

    @Test
    void csvRendering() {
        HttpResponse<byte[]> r = http.get("/data/projects/OTHER/subjects?format=csv&columns=label,group");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
        String csv = text(r);
        assertThat(csv).doesNotContain("\r").endsWith("\n");
        String[] lines = csv.split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("label,group,ID,URI");
        String subjectId = rows(http.get("/data/projects/OTHER/subjects?format=json"))
                .get(0)
                .get("ID")
                .asString();
        assertThat(lines[1]).isEqualTo("O1,\"a,\"\"b\"\"\"," + subjectId + ",/data/subjects/" + subjectId);

        String experiments = text(http.get("/data/projects/DEMO/experiments?format=csv&sortBy=label"));
        String[] el = experiments.split("\n");
        assertThat(el[0]).isEqualTo("xnat:subjectassessordata/id,ID,project,date,xsiType,label,insert_date,URI");
        assertThat(el).hasSize(5);
        assertThat(el[1]).contains(",DEMO,").contains(",xnat:mrSessionData,DEMO_S001_MR1,");
    }

    @Test
    void xmlRendering() throws Exception {
        HttpResponse<byte[]> r = http.get("/data/projects/DEMO/subjects?format=xml&sortBy=label");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/xml"));
        assertThat(text(r)).startsWith("<ResultSet");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("ResultSet");
        assertThat(root.getAttribute("totalRecords")).isEqualTo("2");
        Element results = (Element) root.getElementsByTagName("results").item(0);
        assertThat(results.getParentNode()).isSameAs(root);
        NodeList columns = ((Element) results.getElementsByTagName("columns").item(0)).getElementsByTagName("column");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns.getLength(); i++) {
            names.add(columns.item(i).getTextContent());
        }
        assertThat(names).containsExactly("ID", "project", "label", "insert_date", "insert_user", "URI");
        NodeList rowList = ((Element) results.getElementsByTagName("rows").item(0)).getElementsByTagName("row");
        assertThat(rowList.getLength()).isEqualTo(2);
        NodeList cells = ((Element) rowList.item(0)).getElementsByTagName("cell");
        assertThat(cells.getLength()).isEqualTo(6);
        assertThat(cells.item(2).getTextContent()).isEqualTo("DEMO_S001");
        assertThat(cells.item(1).getTextContent()).isEqualTo("DEMO");
        assertThat(cells.item(5).getTextContent()).startsWith("/data/subjects/XNAT_S");
    }

    @Test
    void malformedQueryIsA400Page() throws IOException {
        for (String target : List.of("/data/projects?format=%zz", "/data/projects/DEMO/subjects?label=%E")) {
            Raw r = raw("GET", target);
            assertThat(r.status).as(target).isEqualTo(400);
            assertThat(r.headers.toLowerCase()).contains("content-type: text/html");
            Matcher m = Pattern.compile("<h3>(.+?)</h3>").matcher(r.body);
            assertThat(m.find()).as(r.body).isTrue();
            assertThat(m.group(1)).containsIgnoringCase("malformed");
        }
        Raw path = raw("GET", "/data/projects/DE%ZZMO/subjects");
        assertThat(path.status).isEqualTo(400);
        assertThat(path.body).contains("<h3>");
    }

    @Test
    void unknownRoutesAre404Pages() {
        for (String path : List.of("/data/bogus", "/nothing/here", "/data", "/REST/bogus/projects")) {
            HttpResponse<byte[]> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
            assertThat(text(r)).contains("<title>Status page</title>").containsPattern("<h3>.+</h3>");
        }
        // an unknown sub-path after an object is a bad request (contract section 10)
        for (String path : List.of("/data/projects/DEMO/bogus/x", "/data/experiments/" + mr1Id + "/scans/1/bogus")) {
            HttpResponse<byte[]> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(text(r)).contains("<h3>Unknown sub-path: bogus");
        }
        // a missing object of a known kind is a 404 too, with XNAT's message
        HttpResponse<byte[]> missing = http.get("/data/projects/NOPE/subjects?format=json");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).contains("<h3>Unable to find the specified project.</h3>");
    }

    @Test
    void dotDotInThePathIsA400() throws IOException {
        for (String target : List.of(
                "/data/projects/DEMO/../OTHER/subjects",
                "/data/projects/DEMO/subjects/%2E%2E/x",
                "/data/projects/DEMO/resources/R/files/../../../etc/passwd")) {
            Raw r = raw("GET", target);
            assertThat(r.status).as(target).isEqualTo(400);
            assertThat(r.body).as(target).contains("<h3>");
        }
    }

    // ------------------------------------------------------------------ raw HTTP (for targets URI refuses)

    private record Raw(int status, String headers, String body) {}

    private static Raw raw(String method, String target) throws IOException {
        URI base = URI.create(xnat.server().baseUrl());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: "
                            + TestHttp.basic("admin", "admin") + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            int status = Integer.parseInt(head.split(" ")[1]);
            return new Raw(status, head, all.substring(split + 4));
        }
    }
}
