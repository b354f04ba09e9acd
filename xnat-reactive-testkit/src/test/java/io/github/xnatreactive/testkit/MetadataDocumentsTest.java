package io.github.xnatreactive.testkit;

import static io.github.xnatreactive.testkit.TestHttp.json;
import static io.github.xnatreactive.testkit.TestHttp.rows;
import static io.github.xnatreactive.testkit.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * Documents as XNAT keeps them: repeated elements (scans, {@code addParam}, custom fields, provenance steps), typed
 * values, XML bodies that create and update (with {@code allowDataDeletion}), custom variable sets and the schemas.
 */
class MetadataDocumentsTest {
    private static final String XNAT = "http://nrg.wustl.edu/xnat";
    private static final String PROV = "http://www.nbirn.net/prov";

    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    private static TestHttp http;

    @BeforeAll
    static void client() {
        http = new TestHttp(xnat.server());
    }

    static final String SESSION =
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <xnat:MRSession label="MR1" xmlns:xnat="http://nrg.wustl.edu/xnat" xmlns:prov="http://www.nbirn.net/prov"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" visit_id="V1">
              <xnat:date>2024-03-05</xnat:date>
              <xnat:time>09:30</xnat:time>
              <xnat:fields><xnat:field name="site">north</xnat:field><xnat:field name="arm">B</xnat:field></xnat:fields>
              <xnat:scanner manufacturer="SIEMENS" model="Prisma">MR-A</xnat:scanner>
              <xnat:fieldStrength>3T</xnat:fieldStrength>
              <xnat:scans>
                <xnat:scan ID="1" type="T1w" UID="1.2.3" xsi:type="xnat:mrScanData">
                  <xnat:quality>usable</xnat:quality>
                  <xnat:frames>176</xnat:frames>
                  <xnat:parameters>
                    <xnat:voxelRes x="1" y="1" z="1.20"/>
                    <xnat:tr>2300</xnat:tr>
                    <xnat:te>2.98</xnat:te>
                    <xnat:addParam name="Phase encoding">ROW</xnat:addParam>
                    <xnat:addParam name="Echo train">1</xnat:addParam>
                  </xnat:parameters>
                </xnat:scan>
                <xnat:scan ID="2" type="T2w" xsi:type="xnat:mrScanData"><xnat:quality>questionable</xnat:quality></xnat:scan>
              </xnat:scans>
              <xnat:reconstructions>
                <xnat:reconstructedImage ID="R1" type="MPR" xsi:type="xnat:reconstructedImageData">
                  <xnat:parameters><xnat:addParam name="kernel">B30</xnat:addParam></xnat:parameters>
                </xnat:reconstructedImage>
              </xnat:reconstructions>
              <xnat:assessors>
                <xnat:assessor label="QC1" xsi:type="xnat:qcManualAssessorData">
                  <xnat:provenance>
                    <prov:processStep><prov:program version="1.0">qc</prov:program><prov:timestamp>2024-03-06T10:00:00</prov:timestamp>
                      <prov:user>alice</prov:user><prov:machine>m1</prov:machine><prov:platform version="6">Linux</prov:platform></prov:processStep>
                    <prov:processStep><prov:program>report</prov:program><prov:timestamp>2024-03-06T11:00:00</prov:timestamp>
                      <prov:user>bob</prov:user><prov:machine>m2</prov:machine><prov:platform>Linux</prov:platform></prov:processStep>
                  </xnat:provenance>
                  <xnat:rater>carol</xnat:rater>
                </xnat:assessor>
              </xnat:assessors>
            </xnat:MRSession>
            """;

    private static HttpResponse<byte[]> expect(HttpResponse<byte[]> r, int status) {
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        return r;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Document xml(String path) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        byte[] body = expect(http.get(path + "?format=xml"), 200).body();
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    private static List<Element> all(Document d, String ns, String local) {
        NodeList n = d.getElementsByTagNameNS(ns, local);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add((Element) n.item(i));
        }
        return out;
    }

    private static void session(String project) {
        expect(http.put("/data/projects/" + project), 200);
        expect(http.put("/data/projects/" + project + "/subjects/S1"), 201);
        expect(http.put("/data/projects/" + project + "/subjects/S1/experiments/MR1", "text/xml", utf8(SESSION)), 201);
    }

    @Test
    void aSessionDocumentCreatesItsScansAndKeepsRepeatedElementsApart() throws Exception {
        session("MD1");
        String base = "/data/projects/MD1/subjects/S1/experiments/MR1";
        assertThat(rows(http.get(base + "/scans?format=json"))).hasSize(2);
        assertThat(rows(http.get(base + "/assessors?format=json"))).hasSize(1);
        assertThat(rows(http.get(base + "/reconstructions?format=json"))).hasSize(1);

        Document scan = xml(base + "/scans/1");
        Element root = scan.getDocumentElement();
        assertThat(root.getAttribute("UID")).isEqualTo("1.2.3");
        List<Element> params = all(scan, XNAT, "addParam");
        assertThat(params).extracting(e -> e.getAttribute("name")).containsExactly("Echo train", "Phase encoding");
        assertThat(params).extracting(Element::getTextContent).containsExactly("1", "ROW");
        // typed values as XNAT writes them: decimals with a fraction, integers without
        assertThat(all(scan, XNAT, "tr").get(0).getTextContent()).isEqualTo("2300.0");
        assertThat(all(scan, XNAT, "te").get(0).getTextContent()).isEqualTo("2.98");
        Element voxel = all(scan, XNAT, "voxelRes").get(0);
        assertThat(List.of(voxel.getAttribute("x"), voxel.getAttribute("z"))).containsExactly("1.0", "1.2");

        Document session = xml(base);
        assertThat(session.getDocumentElement().getAttribute("visit_id")).isEqualTo("V1");
        assertThat(all(session, XNAT, "time").get(0).getTextContent()).isEqualTo("09:30:00");
        Element scanner = all(session, XNAT, "scanner").get(0);
        assertThat(scanner.getAttribute("manufacturer")).isEqualTo("SIEMENS");
        assertThat(scanner.getTextContent()).isEqualTo("MR-A");
        assertThat(all(session, XNAT, "field"))
                .extracting(e -> e.getAttribute("name") + "=" + e.getTextContent())
                .containsExactly("arm=B", "site=north");
        List<Element> steps = all(session, PROV, "processStep");
        assertThat(steps).hasSize(2);
        assertThat(all(session, PROV, "program"))
                .extracting(e -> e.getTextContent() + "@" + e.getAttribute("version"))
                .containsExactly("qc@1.0", "report@");

        // JSON: single values in data_fields, repeated elements as children items
        JsonNode scanJson =
                json(http.get(base + "/scans/1?format=json")).path("items").path(0);
        assertThat(scanJson.path("data_fields").path("parameters/tr").asString())
                .isEqualTo("2300.0");
        assertThat(scanJson.path("data_fields").path("parameters/voxelRes/z").asString())
                .isEqualTo("1.2");
        JsonNode group = null;
        for (JsonNode c : scanJson.path("children")) {
            if (c.path("field").asString().equals("parameters/addParam")) {
                group = c;
            }
        }
        assertThat(group).as("parameters/addParam children").isNotNull();
        assertThat(group.path("items").get(0).path("data_fields").path("name").asString())
                .isEqualTo("Echo train");
        assertThat(group.path("items")
                        .get(0)
                        .path("data_fields")
                        .path("addField")
                        .asString())
                .isEqualTo("1");
        assertThat(group.path("items").get(0).path("meta").path("xsi:type").asString())
                .isEqualTo("xnat:addField");
    }

    @Test
    void xpathParametersSetOneRepeatedElementAndCustomFields() throws Exception {
        session("MD2");
        String scan = "/data/projects/MD2/subjects/S1/experiments/MR1/scans/1";
        expect(
                http.put(scan
                        + "?xsiType=xnat:mrScanData&xnat:mrScanData/parameters/addParam%5Bname%3DTE2%5D/addField=5"),
                200);
        assertThat(all(xml(scan), XNAT, "addParam"))
                .extracting(e -> e.getAttribute("name") + "=" + e.getTextContent())
                .containsExactly("Echo train=1", "Phase encoding=ROW", "TE2=5");

        String subject = "/data/projects/MD2/subjects/S1";
        expect(http.put(subject + "?xnat:subjectData/fields/field%5Bname%3Dcohort%5D/field=A7"), 200);
        JsonNode row = rows(http.get(
                        "/data/projects/MD2/subjects?format=json&columns=ID,xnat:subjectData/fields/field%5Bname%3Dcohort%5D/field"))
                .get(0);
        assertThat(row.toString()).contains("A7");
        assertThat(all(xml(subject), XNAT, "field").get(0).getAttribute("name")).isEqualTo("cohort");

        // a value its schema type cannot hold is refused, and nothing is written
        HttpResponse<byte[]> bad =
                expect(http.put(scan + "?xsiType=xnat:mrScanData&xnat:mrScanData/parameters/tr=fast"), 400);
        assertThat(text(bad)).contains("parameters/tr");
        assertThat(all(xml(scan), XNAT, "tr").get(0).getTextContent()).isEqualTo("2300.0");
    }

    @Test
    void allowDataDeletionReplacesTheFieldsMultipartMergesThem() throws Exception {
        expect(http.put("/data/projects/MD3"), 200);
        String subject = "/data/projects/MD3/subjects/S1";
        expect(http.put(subject + "?gender=female&group=control&yob=1980"), 201);
        String doc = "<xnat:Subject label=\"S1\" xmlns:xnat=\"http://nrg.wustl.edu/xnat\" group=\"patient\"/>";
        TestHttp.Multipart mp = TestHttp.multipart(Map.of("data.xml", utf8(doc)), Map.of());
        expect(http.put(subject, mp.contentType(), mp.body()), 200);
        Document merged = xml(subject);
        assertThat(merged.getDocumentElement().getAttribute("group")).isEqualTo("patient");
        assertThat(all(merged, XNAT, "gender").get(0).getTextContent()).isEqualTo("female");

        mp = TestHttp.multipart(Map.of("data.xml", utf8(doc)), Map.of());
        expect(http.put(subject + "?allowDataDeletion=true", mp.contentType(), mp.body()), 200);
        Document replaced = xml(subject);
        assertThat(replaced.getDocumentElement().getAttribute("group")).isEqualTo("patient");
        assertThat(all(replaced, XNAT, "gender")).isEmpty();
        assertThat(all(replaced, XNAT, "yob")).isEmpty();
    }

    @Test
    void projectsOfferCustomVariableSetsThatAProjectDocumentDefines() throws Exception {
        expect(http.put("/data/projects/MD4"), 200);
        Document project = xml("/data/projects/MD4");
        assertThat(all(project, XNAT, "studyProtocol"))
                .extracting(e -> e.getAttribute("name") + ":" + e.getAttribute("data-type"))
                .contains("Subjects:xnat:subjectData", "MR Sessions:xnat:mrSessionData");
        String doc = "<xnat:Project ID=\"MD4\" xmlns:xnat=\"http://nrg.wustl.edu/xnat\"><xnat:studyProtocol"
                + " name=\"Subjects\" data-type=\"xnat:subjectData\" ID=\"MD4_xnat_subjectData\"><xnat:definitions>"
                + "<xnat:definition ID=\"clinical\" data-type=\"xnat:subjectData\" project-specific=\"1\"><xnat:fields>"
                + "<xnat:field name=\"bmi\" datatype=\"float\" type=\"custom\" required=\"0\""
                + " xmlPath=\"xnat:subjectData/fields/field[name=bmi]/field\"/></xnat:fields></xnat:definition>"
                + "</xnat:definitions></xnat:studyProtocol></xnat:Project>";
        expect(http.put("/data/projects/MD4", "text/xml", utf8(doc)), 200);
        Document after = xml("/data/projects/MD4");
        Element definition = all(after, XNAT, "definition").get(0);
        assertThat(definition.getAttribute("ID")).isEqualTo("clinical");
        Element field = all(after, XNAT, "field").get(0);
        assertThat(List.of(field.getAttribute("name"), field.getAttribute("datatype"), field.getAttribute("xmlPath")))
                .containsExactly("bmi", "float", "xnat:subjectData/fields/field[name=bmi]/field");
    }

    @Test
    void schemasAreListedAndServedAsXsds() throws Exception {
        JsonNode names = json(expect(http.get("/xapi/schemas"), 200));
        List<String> listed = new ArrayList<>();
        names.forEach(n -> listed.add(n.asString()));
        assertThat(listed).contains("xnat", "xdat", "prov", "catalog");
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        org.w3c.dom.ls.DOMImplementationLS ls = (org.w3c.dom.ls.DOMImplementationLS)
                DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation();
        // xnat.xsd imports prov.xsd beside it: resolve it through the server's classic path
        f.setResourceResolver((type, ns, publicId, systemId, base) -> {
            org.w3c.dom.ls.LSInput in = ls.createLSInput();
            in.setStringData(
                    text(expect(http.get("/schemas/xnat/" + systemId.substring(systemId.lastIndexOf('/') + 1)), 200)));
            in.setSystemId(systemId);
            return in;
        });
        for (String name : listed) {
            String xsd = text(expect(http.get("/xapi/schemas/" + name), 200));
            assertThat(xsd).contains("<xs:schema");
        }
        f.newSchema(new StreamSource(new StringReader(text(http.get("/xapi/schemas/xnat"))), "xnat.xsd"));
        f.newSchema(new StreamSource(new StringReader(text(http.get("/xapi/schemas/xdat")))));
        expect(http.get("/xapi/schemas/nope"), 404);
    }
}
