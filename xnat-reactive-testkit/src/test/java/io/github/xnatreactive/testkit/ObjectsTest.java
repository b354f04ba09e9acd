package io.github.xnatreactive.testkit;

import static io.github.xnatreactive.testkit.TestHttp.rows;
import static io.github.xnatreactive.testkit.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

/** Create, update, read and delete of archive objects (contract sections 3 and 4). */
class ObjectsTest {
    private static final String XNAT_NS = "http://nrg.wustl.edu/xnat";
    private static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";

    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    private static TestHttp http;

    @BeforeAll
    static void client() {
        http = new TestHttp(xnat.server());
    }

    private static HttpResponse<byte[]> expect(HttpResponse<byte[]> r, int status) {
        assertThat(r.statusCode())
                .as("%s %s: %s", r.request().method(), r.uri(), text(r))
                .isEqualTo(status);
        return r;
    }

    private static String h3(HttpResponse<byte[]> r) {
        Matcher m = Pattern.compile("<h3>(.*?)</h3>").matcher(text(r));
        assertThat(m.find()).as("an <h3> in %s", text(r)).isTrue();
        return m.group(1);
    }

    private static JsonNode item(String path) {
        HttpResponse<byte[]> r = expect(http.get(path + (path.contains("?") ? "&" : "?") + "format=json"), 200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        return TestHttp.json(r).path("items").path(0);
    }

    private static Document xml(String path) throws Exception {
        HttpResponse<byte[]> r = expect(http.get(path + (path.contains("?") ? "&" : "?") + "format=xml"), 200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/xml"));
        assertThat(text(r)).startsWith("<?xml");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
    }

    private static String child(Element e, String localName) {
        NodeList n = e.getElementsByTagNameNS(XNAT_NS, localName);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    private static void project(String id) {
        expect(http.put("/data/projects/" + id), 200);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ projects

    @Test
    void projectPutCreatesAndUpdatesWith200AndEmptyBody() throws Exception {
        HttpResponse<byte[]> created =
                expect(http.put("/data/projects/PJ1?name=First%20project&description=Hello&pi_lastname=Curie"), 200);
        assertThat(created.body()).isEmpty();
        HttpResponse<byte[]> updated = expect(http.put("/data/projects/PJ1?description=Updated"), 200);
        assertThat(updated.body()).isEmpty();

        JsonNode p = item("/data/projects/PJ1");
        assertThat(p.path("meta").path("xsi:type").asString()).isEqualTo("xnat:projectData");
        assertThat(p.path("data_fields").path("ID").asString()).isEqualTo("PJ1");
        assertThat(p.path("data_fields").path("name").asString()).isEqualTo("First project");
        assertThat(p.path("data_fields").path("description").asString()).isEqualTo("Updated");

        Element root = xml("/data/projects/PJ1").getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(XNAT_NS);
        assertThat(root.getLocalName()).isEqualTo("Project");
        assertThat(root.getAttribute("ID")).isEqualTo("PJ1");
        assertThat(child(root, "description")).isEqualTo("Updated");
        assertThat(child(root, "lastname")).isEqualTo("Curie");

        JsonNode row = rows(http.get("/data/projects?format=json&ID=PJ1")).get(0);
        assertThat(row.get("description").asString()).isEqualTo("Updated");
        assertThat(row.get("name").asString()).isEqualTo("First project");
        assertThat(row.get("pi_lastname").asString()).isEqualTo("Curie");
    }

    @Test
    void projectCreateByPostedXml() {
        String doc = "<xnat:Project ID=\"PJXML\" secondary_ID=\"px\" xmlns:xnat=\"http://nrg.wustl.edu/xnat\">"
                + "<xnat:name>From XML</xnat:name><xnat:description>posted</xnat:description></xnat:Project>";
        HttpResponse<byte[]> r = expect(http.post("/data/projects", "text/xml", utf8(doc)), 200);
        String url = xnat.server().baseUrl() + "/data/projects/PJXML";
        assertThat(text(r)).isEqualTo(url);
        assertThat(r.headers().firstValue("Location")).hasValue(url);
        assertThat(item("/data/projects/PJXML").path("data_fields").path("name").asString())
                .isEqualTo("From XML");

        HttpResponse<byte[]> again = expect(http.post("/data/projects", "text/xml", utf8(doc)), 409);
        assertThat(h3(again)).isEqualTo("Project already exists.");
    }

    @Test
    void projectExtras() {
        project("PX");
        assertThat(text(expect(http.get("/data/projects/PX/accessibility"), 200)))
                .isEqualTo("private");
        for (String level : List.of("public", "protected", "private")) {
            expect(http.put("/data/projects/PX/accessibility/" + level), 200);
            HttpResponse<byte[]> r = expect(http.get("/data/projects/PX/accessibility"), 200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
            assertThat(text(r)).isEqualTo(level);
        }
        expect(http.put("/data/projects/PX2?accessibility=protected"), 200);
        assertThat(text(http.get("/data/projects/PX2/accessibility"))).isEqualTo("protected");

        assertThat(text(expect(http.get("/data/projects/PX/prearchive_code"), 200)))
                .isEqualTo("0");
        expect(http.put("/data/projects/PX/prearchive_code/4"), 200);
        assertThat(text(http.get("/data/projects/PX/prearchive_code"))).isEqualTo("4");
        assertThat(text(expect(http.get("/data/projects/PX/quarantine_code"), 200)))
                .isEqualTo("0");
        expect(http.put("/data/projects/PX/quarantine_code/1"), 200);
        assertThat(text(http.get("/data/projects/PX/quarantine_code"))).isEqualTo("1");
        assertThat(text(expect(http.get("/data/projects/PX/current_arc"), 200))).isEqualTo("arc001");
        // XNAT stores all that follows current_arc/, as pyxnat's set_subfolder_in_current_arc sends it
        expect(http.put("/data/projects/PX/current_arc/arc001/batch2"), 200);
        assertThat(text(http.get("/data/projects/PX/current_arc"))).isEqualTo("arc001/batch2");
        expect(http.put("/data/projects/PX/current_arc/arc001"), 200);

        expect(http.put("/data/projects/PX?alias=PXALIAS&alias=PXOTHER&description=Described"), 200);
        JsonNode byAlias = item("/data/projects/PXALIAS");
        assertThat(byAlias.path("data_fields").path("ID").asString()).isEqualTo("PX");
        assertThat(byAlias.path("data_fields").path("description").asString()).isEqualTo("Described");
        assertThat(item("/data/projects/PXOTHER").path("data_fields").path("ID").asString())
                .isEqualTo("PX");
        assertThat(text(http.get("/data/projects/PX?format=xml")))
                .contains(
                        "<xnat:aliases><xnat:alias>PXALIAS</xnat:alias><xnat:alias>PXOTHER</xnat:alias></xnat:aliases>");
        // a subject created through the alias lands in the project
        expect(http.put("/data/projects/PXALIAS/subjects/SA"), 201);
        assertThat(rows(http.get("/data/projects/PX/subjects?format=json"))
                        .get(0)
                        .get("project")
                        .asString())
                .isEqualTo("PX");
    }

    @Test
    void projectIdRulesAndDelete() {
        HttpResponse<byte[]> bad = expect(http.put("/data/projects/bad%21id"), 417);
        assertThat(text(bad)).contains("<h3>");
        project("PDEL");
        expect(http.put("/data/projects/PDEL/subjects/S1"), 201);
        expect(http.delete("/data/projects/PDEL?removeFiles=true"), 200);
        expect(http.get("/data/projects/PDEL?format=json"), 404);
        assertThat(rows(http.get("/data/subjects?format=json&project=PDEL"))).isEmpty();
        // deleting a missing project is a 400, not a 404 (contract 4.4)
        HttpResponse<byte[]> missing = expect(http.delete("/data/projects/PDEL"), 400);
        assertThat(h3(missing)).contains("project");
        // a deleted project's ID cannot be reused
        expect(http.put("/data/projects/PDEL"), 403);
    }

    // ------------------------------------------------------------------ subjects

    @Test
    void subjectPutCreates201ThenUpdates200WithTheAccessionId() throws Exception {
        project("PS");
        HttpResponse<byte[]> created = expect(
                http.put("/data/projects/PS/subjects/SUB1?gender=male&xnat%3AsubjectData%2Fgroup=control&yob=1970"),
                201);
        assertThat(created.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        String id = text(created);
        assertThat(id).matches("XNAT_S\\d{5}");
        HttpResponse<byte[]> updated =
                expect(http.put("/data/projects/PS/subjects/SUB1?xnat:subjectData/src=ref&handedness=left"), 200);
        assertThat(text(updated)).isEqualTo(id);

        JsonNode s = item("/data/projects/PS/subjects/SUB1");
        assertThat(s.path("meta").path("xsi:type").asString()).isEqualTo("xnat:subjectData");
        JsonNode f = s.path("data_fields");
        assertThat(f.path("ID").asString()).isEqualTo(id);
        assertThat(f.path("label").asString()).isEqualTo("SUB1");
        assertThat(f.path("project").asString()).isEqualTo("PS");
        assertThat(f.path("group").asString()).isEqualTo("control");
        assertThat(f.path("src").asString()).isEqualTo("ref");

        Element root = xml("/data/projects/PS/subjects/SUB1").getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("xnat:Subject");
        assertThat(root.getAttribute("ID")).isEqualTo(id);
        assertThat(root.getAttribute("project")).isEqualTo("PS");
        assertThat(root.getAttribute("label")).isEqualTo("SUB1");
        Element demographics =
                (Element) root.getElementsByTagNameNS(XNAT_NS, "demographics").item(0);
        assertThat(demographics.getAttributeNS(XSI_NS, "type")).isEqualTo("xnat:demographicData");
        assertThat(child(demographics, "gender")).isEqualTo("male");
        assertThat(child(demographics, "yob")).isEqualTo("1970");
        assertThat(child(demographics, "handedness")).isEqualTo("left");
        assertThat(root.getAttribute("group")).isEqualTo("control"); // an attribute of xnat:Subject

        JsonNode row = rows(http.get(
                        "/data/projects/PS/subjects?format=json&columns=label,gender,group,yob,handedness"))
                .get(0);
        assertThat(row.get("gender").asString()).isEqualTo("male");
        assertThat(row.get("group").asString()).isEqualTo("control");
        assertThat(row.get("yob").asString()).isEqualTo("1970");
        assertThat(row.get("handedness").asString()).isEqualTo("left");
    }

    @Test
    void subjectLookupByLabelOrAccessionId() {
        project("PL");
        project("PL2");
        String id = text(expect(http.put("/data/projects/PL/subjects/LBL"), 201));
        String other = text(expect(http.put("/data/projects/PL2/subjects/LBL"), 201));
        assertThat(other).isNotEqualTo(id);
        assertThat(item("/data/projects/PL/subjects/LBL")
                        .path("data_fields")
                        .path("ID")
                        .asString())
                .isEqualTo(id);
        assertThat(item("/data/projects/PL/subjects/" + id)
                        .path("data_fields")
                        .path("label")
                        .asString())
                .isEqualTo("LBL");
        assertThat(item("/data/subjects/" + id)
                        .path("data_fields")
                        .path("project")
                        .asString())
                .isEqualTo("PL");
        // without a project only accession IDs work; an ID of another project's subject is not found
        HttpResponse<byte[]> byLabel = expect(http.get("/data/subjects/LBL?format=json"), 404);
        assertThat(h3(byLabel)).contains("accession");
        expect(http.get("/data/projects/PL/subjects/" + other + "?format=json"), 404);
    }

    @Test
    void subjectCreateByXmlBodyAndByPost() throws Exception {
        project("PSX");
        String doc = "<?xml version=\"1.0\"?><xnat:Subject label=\"XSUB\" xmlns:xnat=\"http://nrg.wustl.edu/xnat\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><xnat:group>arm1</xnat:group>"
                + "<xnat:demographics xsi:type=\"xnat:demographicData\"><xnat:gender>female</xnat:gender>"
                + "</xnat:demographics></xnat:Subject>";
        String id = text(expect(http.put("/data/projects/PSX/subjects/XSUB", "text/xml", utf8(doc)), 201));
        assertThat(id).matches("XNAT_S\\d{5}");
        Element root = xml("/data/projects/PSX/subjects/XSUB").getDocumentElement();
        assertThat(root.getAttribute("group")).isEqualTo("arm1"); // an attribute of xnat:Subject, as XNAT writes it
        assertThat(child(root, "gender")).isEqualTo("female");
        assertThat(rows(http.get("/data/projects/PSX/subjects?format=json&columns=gender"))
                        .get(0)
                        .get("gender")
                        .asString())
                .isEqualTo("female");

        // multipart with an .xml part; query parameters apply on top
        String doc2 = doc.replace("XSUB", "XSUB2").replace("arm1", "arm2");
        TestHttp.Multipart mp = TestHttp.multipart(Map.of("subject.xml", utf8(doc2)), Map.of());
        expect(http.put("/data/projects/PSX/subjects/XSUB2?gender=male", mp.contentType(), mp.body()), 201);
        Element root2 = xml("/data/projects/PSX/subjects/XSUB2").getDocumentElement();
        assertThat(root2.getAttribute("group")).isEqualTo("arm2");
        assertThat(child(root2, "gender")).isEqualTo("male");

        // POST to the collection
        HttpResponse<byte[]> posted =
                expect(http.post("/data/projects/PSX/subjects?label=POSTED&group=g", "text/plain", new byte[0]), 200);
        assertThat(text(posted)).matches(Pattern.quote(xnat.server().baseUrl()) + "/data/subjects/XNAT_S\\d{5}");
        HttpResponse<byte[]> dup =
                expect(http.post("/data/projects/PSX/subjects?label=POSTED", "text/plain", new byte[0]), 409);
        assertThat(h3(dup)).isEqualTo("Subject already exists.");

        // changing the label inside an XML body is refused
        String relabel = doc.replace("label=\"XSUB\"", "label=\"OTHER\"");
        HttpResponse<byte[]> r = expect(http.put("/data/projects/PSX/subjects/XSUB", "text/xml", utf8(relabel)), 400);
        assertThat(h3(r)).isEqualTo("Label must be modified through separate URI.");
    }

    @Test
    void unparseableXmlIs422() {
        project("PBAD");
        HttpResponse<byte[]> r =
                expect(http.put("/data/projects/PBAD/subjects/S1", "text/xml", utf8("<xnat:Subject label=")), 422);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        expect(http.get("/data/projects/PBAD/subjects/S1?format=json"), 404);
        expect(http.post("/data/projects", "application/xml", utf8("not xml at all")), 422);
    }

    @Test
    void renameWithLabelAndConflictOnALabelInUse() {
        project("PR");
        String id = text(expect(http.put("/data/projects/PR/subjects/OLD"), 201));
        expect(http.put("/data/projects/PR/subjects/TAKEN"), 201);
        expect(http.put("/data/projects/PR/subjects/OLD?label=NEW"), 200);
        assertThat(item("/data/projects/PR/subjects/NEW")
                        .path("data_fields")
                        .path("ID")
                        .asString())
                .isEqualTo(id);
        expect(http.get("/data/projects/PR/subjects/OLD?format=json"), 404);
        HttpResponse<byte[]> clash = expect(http.put("/data/projects/PR/subjects/NEW?label=TAKEN"), 409);
        assertThat(h3(clash)).isEqualTo("Specified label is already in use.");

        String e = text(
                expect(http.put("/data/projects/PR/subjects/NEW/experiments/E_OLD?xsiType=xnat:mrSessionData"), 201));
        expect(http.put("/data/projects/PR/subjects/NEW/experiments/E_TAKEN?xsiType=xnat:mrSessionData"), 201);
        expect(http.put("/data/projects/PR/experiments/E_OLD?label=E_NEW"), 200);
        assertThat(item("/data/experiments/" + e)
                        .path("data_fields")
                        .path("label")
                        .asString())
                .isEqualTo("E_NEW");
        HttpResponse<byte[]> clash2 = expect(http.put("/data/projects/PR/experiments/E_NEW?label=E_TAKEN"), 409);
        assertThat(h3(clash2)).isEqualTo("Specified label is already in use.");
    }

    // ------------------------------------------------------------------ experiments

    @Test
    void experimentPutNeedsATypeAndAutoCreatesItsSubject() throws Exception {
        project("PE");
        HttpResponse<byte[]> noType = expect(http.put("/data/projects/PE/subjects/AUTO/experiments/MR1"), 417);
        assertThat(h3(noType)).isEqualTo("Need PUT Contents");
        expect(http.get("/data/projects/PE/subjects/AUTO?format=json"), 404);

        HttpResponse<byte[]> created = expect(
                http.put("/data/projects/PE/subjects/AUTO/experiments/MR1?xsiType=xnat:mrSessionData&date=2020-01-02"
                        + "&xnat%3AmrSessionData%2FfieldStrength=3.0&scanner=Prisma"),
                201);
        String id = text(created);
        assertThat(id).matches("XNAT_E\\d{5}");
        JsonNode subject = item("/data/projects/PE/subjects/AUTO");
        assertThat(subject.path("data_fields").path("label").asString()).isEqualTo("AUTO");
        HttpResponse<byte[]> again = expect(
                http.put("/data/projects/PE/subjects/AUTO/experiments/MR1?xsiType=xnat:mrSessionData&note=second"),
                200);
        assertThat(text(again)).isEqualTo(id);

        JsonNode e = item("/data/projects/PE/subjects/AUTO/experiments/MR1");
        assertThat(e.path("meta").path("xsi:type").asString()).isEqualTo("xnat:mrSessionData");
        JsonNode f = e.path("data_fields");
        assertThat(f.path("ID").asString()).isEqualTo(id);
        assertThat(f.path("label").asString()).isEqualTo("MR1");
        assertThat(f.path("project").asString()).isEqualTo("PE");
        assertThat(f.path("date").asString()).isEqualTo("2020-01-02");
        // XNAT spells schema names in camel case (fieldStrength), whatever case the request used
        assertThat(f.path("fieldStrength").asString()).isEqualTo("3.0");
        assertThat(f.path("note").asString()).isEqualTo("second");

        Element root = xml("/data/experiments/" + id).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("xnat:MRSession");
        assertThat(root.getAttribute("ID")).isEqualTo(id);
        assertThat(root.getAttribute("project")).isEqualTo("PE");
        assertThat(root.getAttribute("label")).isEqualTo("MR1");
        assertThat(root.getAttribute("xmlns:xnat")).isEqualTo(XNAT_NS);
        assertThat(root.getAttribute("xmlns:xsi")).isEqualTo(XSI_NS);
        assertThat(root.getAttribute("xmlns:xdat")).isEqualTo("http://nrg.wustl.edu/security");
        assertThat(root.getAttribute("xmlns:cat")).isEqualTo("http://nrg.wustl.edu/catalog");
        assertThat(root.getAttribute("xmlns:arc")).isEqualTo("http://nrg.wustl.edu/arc");
        assertThat(root.getAttributeNS(XSI_NS, "schemaLocation")).contains("/schemas/");
        assertThat(child(root, "date")).isEqualTo("2020-01-02");
        assertThat(child(root, "scanner")).isEqualTo("Prisma");
        assertThat(child(root, "fieldStrength")).isEqualTo("3.0");
        assertThat(child(root, "subject_ID"))
                .isEqualTo(subject.path("data_fields").path("ID").asString());

        JsonNode row = rows(http.get(
                        "/data/projects/PE/experiments?format=json&columns=label,date,fieldStrength,scanner,subject_label"))
                .get(0);
        assertThat(row.get("date").asString()).isEqualTo("2020-01-02");
        assertThat(row.get("fieldStrength").asString()).isEqualTo("3.0");
        assertThat(row.get("scanner").asString()).isEqualTo("Prisma");
        assertThat(row.get("subject_label").asString()).isEqualTo("AUTO");

        // an experiment of another type under the project-level URL, with subject_ID
        HttpResponse<byte[]> pet =
                expect(http.put("/data/projects/PE/experiments/PET1?xsiType=xnat:petSessionData&subject_ID=AUTO"), 201);
        Element petRoot = xml("/data/experiments/" + text(pet)).getDocumentElement();
        assertThat(petRoot.getTagName()).isEqualTo("xnat:PETSession");
        // changing its type is a conflict
        expect(http.put("/data/projects/PE/experiments/PET1?xsiType=xnat:ctSessionData"), 409);
    }

    @Test
    void experimentLookupAndProjectChangeConflict() {
        project("PEL");
        project("PEL2");
        String id =
                text(expect(http.put("/data/projects/PEL/subjects/S/experiments/EXP?xsiType=xnat:ctSessionData"), 201));
        assertThat(item("/data/projects/PEL/experiments/EXP")
                        .path("data_fields")
                        .path("ID")
                        .asString())
                .isEqualTo(id);
        assertThat(item("/data/projects/PEL/experiments/" + id)
                        .path("data_fields")
                        .path("label")
                        .asString())
                .isEqualTo("EXP");
        assertThat(item("/data/projects/PEL/subjects/S/experiments/" + id)
                        .path("meta")
                        .path("xsi:type")
                        .asString())
                .isEqualTo("xnat:ctSessionData");
        assertThat(item("/data/experiments/" + id)
                        .path("data_fields")
                        .path("project")
                        .asString())
                .isEqualTo("PEL");
        HttpResponse<byte[]> byLabel = expect(http.get("/data/experiments/EXP?format=json"), 404);
        assertThat(h3(byLabel)).contains("accession");
        expect(http.get("/data/projects/PEL2/experiments/" + id + "?format=json"), 404);

        HttpResponse<byte[]> moved = expect(http.put("/data/projects/PEL/experiments/EXP?project=PEL2"), 409);
        assertThat(h3(moved)).isEqualTo("Project must be modified through separate URI.");
        HttpResponse<byte[]> moved2 = expect(http.put("/data/projects/PEL/subjects/S?project=PEL2"), 409);
        assertThat(h3(moved2)).isEqualTo("Project must be modified through separate URI.");
        // the same project is fine
        expect(http.put("/data/projects/PEL/experiments/EXP?project=PEL&note=n"), 200);
    }

    @Test
    void experimentCreateByMultipartXmlAndPostWithConflicts() throws Exception {
        project("PEX");
        expect(http.put("/data/projects/PEX/subjects/S"), 201);
        String doc = "<xnat:MRSession label=\"MRX\" project=\"PEX\" xmlns:xnat=\"http://nrg.wustl.edu/xnat\">"
                + "<xnat:date>2019-09-09</xnat:date><xnat:fieldStrength>1.5</xnat:fieldStrength></xnat:MRSession>";
        TestHttp.Multipart mp = TestHttp.multipart(Map.of("session.xml", utf8(doc)), Map.of());
        String id = text(
                expect(http.put("/data/projects/PEX/subjects/S/experiments/MRX", mp.contentType(), mp.body()), 201));
        JsonNode e = item("/data/experiments/" + id);
        assertThat(e.path("meta").path("xsi:type").asString()).isEqualTo("xnat:mrSessionData");
        assertThat(e.path("data_fields").path("date").asString()).isEqualTo("2019-09-09");
        assertThat(rows(http.get("/data/projects/PEX/experiments?format=json&columns=fieldStrength"))
                        .get(0)
                        .get("fieldStrength")
                        .asString())
                .isEqualTo("1.5");

        HttpResponse<byte[]> posted = expect(
                http.post(
                        "/data/projects/PEX/subjects/S/experiments?label=MRP&xsiType=xnat:mrSessionData",
                        "text/plain",
                        new byte[0]),
                200);
        assertThat(text(posted)).matches(Pattern.quote(xnat.server().baseUrl()) + "/data/experiments/XNAT_E\\d{5}");
        HttpResponse<byte[]> dup = expect(
                http.post(
                        "/data/projects/PEX/subjects/S/experiments?label=MRP&xsiType=xnat:mrSessionData",
                        "text/plain",
                        new byte[0]),
                409);
        assertThat(h3(dup)).isEqualTo("Specified experiment already exists.");
    }

    // ------------------------------------------------------------------ scans, assessors, reconstructions

    @Test
    void scanPutRules() throws Exception {
        project("PSC");
        String e =
                text(expect(http.put("/data/projects/PSC/subjects/S/experiments/MR?xsiType=xnat:mrSessionData"), 201));
        String scans = "/data/projects/PSC/subjects/S/experiments/MR/scans/";
        HttpResponse<byte[]> created = expect(
                http.put(scans + "1?xsiType=xnat:mrScanData&type=T1w&quality=usable&series_description=MPRAGE"), 200);
        assertThat(created.body()).isEmpty();
        HttpResponse<byte[]> updated = expect(http.put(scans + "1?note=moved&xnat:mrScanData/frames=176"), 200);
        assertThat(updated.body()).isEmpty();
        HttpResponse<byte[]> noType = expect(http.put(scans + "2?type=T2w"), 417);
        assertThat(h3(noType)).isEqualTo("Need PUT Contents");
        expect(http.put(scans + "3?xsiType=xnat:imageScanData&type=X"), 400);
        expect(http.put(scans + "1?xsiType=xnat:ctScanData"), 409);
        expect(http.get(scans + "2?format=json"), 404);
        expect(http.get(scans + "3?format=json"), 404);

        JsonNode row = rows(http.get(scans + "?format=json&columns=ID,type,quality,note,frames,series_description"))
                .get(0);
        assertThat(row.get("ID").asString()).isEqualTo("1");
        assertThat(row.get("type").asString()).isEqualTo("T1w");
        assertThat(row.get("quality").asString()).isEqualTo("usable");
        assertThat(row.get("note").asString()).isEqualTo("moved");
        assertThat(row.get("frames").asString()).isEqualTo("176");
        assertThat(row.get("series_description").asString()).isEqualTo("MPRAGE");

        JsonNode scan = item("/data/experiments/" + e + "/scans/1");
        assertThat(scan.path("meta").path("xsi:type").asString()).isEqualTo("xnat:mrScanData");
        assertThat(scan.path("data_fields").path("ID").asString()).isEqualTo("1");
        assertThat(scan.path("data_fields").path("type").asString()).isEqualTo("T1w");

        // the session documents nest the scan
        JsonNode session = item("/data/experiments/" + e);
        JsonNode children = session.path("children");
        JsonNode scanGroup = children.valueStream()
                .filter(c -> c.path("field").asString().equals("scans/scan"))
                .findFirst()
                .orElseThrow();
        assertThat(scanGroup
                        .path("items")
                        .path(0)
                        .path("data_fields")
                        .path("ID")
                        .asString())
                .isEqualTo("1");
        assertThat(scanGroup.path("items").path(0).path("meta").path("xsi:type").asString())
                .isEqualTo("xnat:mrScanData");
        Element root = xml("/data/experiments/" + e).getDocumentElement();
        Element scanEl = (Element) root.getElementsByTagNameNS(XNAT_NS, "scan").item(0);
        assertThat(scanEl.getParentNode().getLocalName()).isEqualTo("scans");
        assertThat(scanEl.getAttribute("ID")).isEqualTo("1");
        assertThat(scanEl.getAttributeNS(XSI_NS, "type")).isEqualTo("xnat:mrScanData");

        HttpResponse<byte[]> post1 = expect(
                http.post(
                        scans.substring(0, scans.length() - 1) + "?ID=1&xsiType=xnat:mrScanData",
                        "text/plain",
                        new byte[0]),
                409);
        assertThat(h3(post1)).isEqualTo("Specified scan already exists.");
        expect(
                http.post(
                        scans.substring(0, scans.length() - 1) + "?ID=4&xsiType=xnat:mrScanData&type=DWI",
                        "text/plain",
                        new byte[0]),
                200);
        assertThat(text(http.get(scans + "4?format=json"))).contains("DWI");
    }

    @Test
    void assessorAndReconstructionPut() {
        project("PA");
        String e =
                text(expect(http.put("/data/projects/PA/subjects/S/experiments/MR?xsiType=xnat:mrSessionData"), 201));
        String base = "/data/projects/PA/subjects/S/experiments/MR";
        HttpResponse<byte[]> noType = expect(http.put(base + "/assessors/QC"), 417);
        assertThat(h3(noType)).isEqualTo("Need PUT Contents");
        HttpResponse<byte[]> created =
                expect(http.put(base + "/assessors/QC?xsiType=xnat:qcManualAssessorData&date=2021-01-01"), 201);
        String aid = text(created);
        assertThat(aid).matches("XNAT_E\\d{5}").isNotEqualTo(e);
        assertThat(text(expect(http.put(base + "/assessors/QC?note=ok"), 200))).isEqualTo(aid);
        JsonNode a = item("/data/experiments/" + e + "/assessors/" + aid);
        assertThat(a.path("meta").path("xsi:type").asString()).isEqualTo("xnat:qcManualAssessorData");
        assertThat(a.path("data_fields").path("label").asString()).isEqualTo("QC");
        assertThat(item(base + "/assessors/QC").path("data_fields").path("ID").asString())
                .isEqualTo(aid);

        HttpResponse<byte[]> recon = expect(http.put(base + "/reconstructions/R1?type=FS&baseScanType=T1w"), 200);
        assertThat(recon.body()).isEmpty();
        expect(http.put(base + "/reconstructions/R1?type=FS2"), 200);
        JsonNode r = rows(http.get(base + "/reconstructions?format=json")).get(0);
        assertThat(r.get("ID").asString()).isEqualTo("R1");
        assertThat(r.get("type").asString()).isEqualTo("FS2");
        assertThat(r.get("baseScanType").asString()).isEqualTo("T1w");
    }

    // ------------------------------------------------------------------ delete

    @Test
    void deleteSubjectExperimentAndScanWith404sWhenMissing() {
        project("PD");
        String p = "/data/projects/PD/subjects/S/experiments/MR";
        String e = text(expect(http.put(p + "?xsiType=xnat:mrSessionData"), 201));
        expect(http.put(p + "/scans/1?xsiType=xnat:mrScanData"), 200);
        expect(http.put(p + "/scans/2?xsiType=xnat:mrScanData"), 200);

        expect(http.delete(p + "/scans/1"), 200);
        expect(http.get(p + "/scans/1?format=json"), 404);
        assertThat(h3(expect(http.delete(p + "/scans/1"), 404))).isEqualTo("Unable to find the specified scan.");

        expect(http.delete("/data/experiments/" + e + "?removeFiles=true"), 200);
        expect(http.get("/data/experiments/" + e + "?format=json"), 404);
        assertThat(h3(expect(http.delete(p), 404))).isEqualTo("Unable to find the specified experiment.");

        expect(http.delete("/data/projects/PD/subjects/S"), 200);
        expect(http.get("/data/projects/PD/subjects/S?format=json"), 404);
        assertThat(h3(expect(http.delete("/data/projects/PD/subjects/S"), 404)))
                .isEqualTo("Unable to find the specified subject.");
        assertThat(rows(http.get("/data/projects/PD/subjects?format=json"))).isEmpty();
    }
}
