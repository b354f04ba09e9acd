package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatDocument;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import reactor.core.publisher.Flux;

/**
 * A copy carries a session's whole record: on a session filled at every level (subject demographics and custom
 * variables; session fields and custom variables; scans with parameters; an assessor with provenance; a
 * reconstruction with parameters and provenance; resources with files on the session and each of its parts; a
 * session transfer carries no subject resources, so the subject has none), the copy's documents equal the source's
 * except for IDs, insertion dates and URIs. Checked for a mirror between two servers and for the upload of a
 * downloaded session.
 */
class MetadataMirrorTest {
    @RegisterExtension
    static XnatTestServerExtension source = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    @RegisterExtension
    static XnatTestServerExtension dest = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static XnatClient src;
    static XnatClient dst;

    static final String SUBJECT =
            """
            <xnat:Subject label="S1" group="control" src="clinic" xmlns:xnat="http://nrg.wustl.edu/xnat"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <xnat:demographics xsi:type="xnat:demographicData">
                <xnat:yob>1970</xnat:yob><xnat:gender>female</xnat:gender><xnat:handedness>left</xnat:handedness>
                <xnat:height>172</xnat:height>
              </xnat:demographics>
              <xnat:fields><xnat:field name="cohort">A7</xnat:field><xnat:field name="bmi">22.5</xnat:field></xnat:fields>
            </xnat:Subject>
            """;

    static final String SESSION =
            """
            <xnat:MRSession label="MR1" visit_id="V2" xmlns:xnat="http://nrg.wustl.edu/xnat"
                xmlns:prov="http://www.nbirn.net/prov" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <xnat:date>2024-03-05</xnat:date><xnat:time>09:30:00</xnat:time><xnat:note>baseline</xnat:note>
              <xnat:fields><xnat:field name="site">north</xnat:field></xnat:fields>
              <xnat:scanner manufacturer="SIEMENS" model="Prisma">MR-A</xnat:scanner>
              <xnat:fieldStrength>3T</xnat:fieldStrength><xnat:session_type>research</xnat:session_type>
              <xnat:scans>
                <xnat:scan ID="1" type="T1w" UID="1.2.3.1" xsi:type="xnat:mrScanData">
                  <xnat:quality>usable</xnat:quality><xnat:series_description>MPRAGE</xnat:series_description>
                  <xnat:frames>176</xnat:frames>
                  <xnat:parameters>
                    <xnat:voxelRes x="1" y="1" z="1.2"/><xnat:fov x="256" y="256"/><xnat:tr>2300</xnat:tr>
                    <xnat:te>2.98</xnat:te><xnat:flip>9</xnat:flip>
                    <xnat:addParam name="Phase encoding">ROW</xnat:addParam>
                    <xnat:addParam name="Echo train">1</xnat:addParam>
                  </xnat:parameters>
                </xnat:scan>
                <xnat:scan ID="2" type="T2w" xsi:type="xnat:mrScanData">
                  <xnat:quality>questionable</xnat:quality><xnat:note>motion</xnat:note>
                  <xnat:parameters><xnat:tr>3200</xnat:tr><xnat:addParam name="TurboFactor">12</xnat:addParam></xnat:parameters>
                </xnat:scan>
              </xnat:scans>
              <xnat:reconstructions>
                <xnat:reconstructedImage ID="R1" type="MPR" baseScanType="T1w" xsi:type="xnat:reconstructedImageData">
                  <xnat:provenance><prov:processStep><prov:program version="2">recon</prov:program>
                    <prov:timestamp>2024-03-05T12:00:00</prov:timestamp><prov:user>alice</prov:user>
                    <prov:machine>m1</prov:machine><prov:platform>Linux</prov:platform></prov:processStep></xnat:provenance>
                  <xnat:parameters><xnat:addParam name="kernel">B30</xnat:addParam></xnat:parameters>
                </xnat:reconstructedImage>
              </xnat:reconstructions>
              <xnat:assessors>
                <xnat:assessor label="QC1" xsi:type="xnat:qcManualAssessorData">
                  <xnat:date>2024-03-06</xnat:date>
                  <xnat:provenance>
                    <prov:processStep><prov:program version="1.0" arguments="--all">qc</prov:program>
                      <prov:timestamp>2024-03-06T10:00:00</prov:timestamp><prov:user>alice</prov:user>
                      <prov:machine>m1</prov:machine><prov:platform version="6">Linux</prov:platform></prov:processStep>
                    <prov:processStep><prov:program>report</prov:program><prov:timestamp>2024-03-06T11:00:00</prov:timestamp>
                      <prov:user>bob</prov:user><prov:machine>m2</prov:machine><prov:platform>Linux</prov:platform></prov:processStep>
                  </xnat:provenance>
                  <xnat:fields><xnat:field name="reviewed">yes</xnat:field></xnat:fields>
                  <xnat:rater>carol</xnat:rater><xnat:pass>1</xnat:pass>
                </xnat:assessor>
              </xnat:assessors>
            </xnat:MRSession>
            """;

    static String sessionId;

    @BeforeAll
    static void fill() {
        src = client(source);
        dst = client(dest);
        src.project("SRC").create().block();
        var subject = src.project("SRC").subject("S1");
        subject.putDocument(XnatDocument.parse(SUBJECT), false).block();
        ExperimentRef e = subject.experiment("MR1");
        sessionId = e.putDocument(XnatDocument.parse(SESSION), false).block();
        put(e.resource("NOTES"), "notes.txt");
        put(e.scan("1").resource("DICOM"), "1.dcm", "2.dcm");
        put(e.scan("2").resource("NIFTI"), "t2.nii");
        put(e.assessor("QC1").outResource("QC"), "report.txt");
        put(e.reconstruction("R1").outResource("MPR"), "mpr.nii");
    }

    private static void put(ResourceRef r, String... files) {
        r.create("TXT", "RAW").block();
        for (String f : files) {
            byte[] data = (r.path() + "/" + f).getBytes(StandardCharsets.UTF_8);
            r.file(f)
                    .upload(Flux.just(ByteBuffer.wrap(data)), data.length, UploadOptions.defaults())
                    .block();
        }
    }

    @AfterAll
    static void close() {
        src.close();
        dst.close();
    }

    /**
     * The document without what differs between copies by design: IDs (accession IDs, the project's ID, the
     * subject and session references), URIs and the schema location (they name the server), and what follows from
     * insertion: XNAT's XML has no insertion dates, but lists a session's scans, reconstructions and assessors in the
     * order they were inserted, which a parallel copy does not keep (they are compared in order of their names).
     * Whitespace between elements is dropped.
     */
    static String comparable(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element root = f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
        clean(root);
        var t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.INDENT, "yes");
        StringWriter w = new StringWriter();
        t.transform(new DOMSource(root), new StreamResult(w));
        return w.toString();
    }

    private static void clean(Element e) {
        if (List.of("scans", "reconstructions", "assessors").contains(e.getLocalName())) {
            // a session's parts in order of their names: the document lists them as they were inserted
            List<Element> parts = new ArrayList<>();
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c) {
                    parts.add(c);
                }
            }
            parts.sort(java.util.Comparator.comparing(c -> c.getAttribute("ID") + "/" + c.getAttribute("label")));
            for (Element c : parts) {
                e.appendChild(c); // moves it to the end, in the sorted order
            }
        }
        for (String a : List.of("ID", "project", "URI")) {
            e.removeAttribute(a);
        }
        e.removeAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "schemaLocation");
        if (List.of("subject_ID", "imageSession_ID").contains(e.getLocalName())) {
            e.setTextContent("");
        }
        List<Node> kids = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            kids.add(n);
        }
        for (Node n : kids) {
            if (n.getNodeType() == Node.TEXT_NODE && n.getTextContent().isBlank() && kids.size() > 1) {
                e.removeChild(n);
            } else if (n instanceof Element c) {
                clean(c);
            }
        }
    }

    static void assertSameRecord(XnatClient c, String project, String subject, String session) throws Exception {
        ExperimentRef copy = c.project(project).subject(subject).experiment(session);
        ExperimentRef original = src.project("SRC").subject("S1").experiment("MR1");
        String want = comparable(original.xml().block());
        // the comparison is not vacuous: the source is filled at every level
        assertThat(want)
                .contains("Phase encoding", "TurboFactor", "prov:processStep", "2300.0", "QC1", "R1", "NIFTI", "site");
        assertThat(comparable(copy.xml().block())).isEqualTo(want);
        assertThat(comparable(c.project(project).subject(subject).xml().block()))
                .isEqualTo(comparable(src.project("SRC").subject("S1").xml().block()));
        for (String scan : List.of("1", "2")) {
            assertThat(comparable(copy.scan(scan).xml().block()))
                    .isEqualTo(comparable(original.scan(scan).xml().block()));
        }
        assertThat(comparable(copy.assessor("QC1").xml().block()))
                .isEqualTo(comparable(original.assessor("QC1").xml().block()));
    }

    @Test
    void aMirroredSessionHasTheSourcesWholeRecord() throws Exception {
        dst.project("MIR").create().block();
        TransferReport r = BulkClient.of(src, fast())
                .mirror(Flux.just(src.experiment(sessionId)), dst, "MIR", Selection.all())
                .run()
                .block();
        assertThat(r.succeeded()).as(r.summary() + " " + r.failed()).isTrue();
        assertThat(r.files()).isEqualTo(6);
        assertSameRecord(dst, "MIR", "S1", "MR1");
    }

    @Test
    void anUploadOfADownloadedSessionHasTheSourcesWholeRecord(@TempDir Path tmp) throws Exception {
        TransferReport down = BulkClient.of(src, fast())
                .download(src.experiment(sessionId), tmp, Selection.all())
                .run()
                .block();
        assertThat(down.succeeded()).as(down.summary() + " " + down.failed()).isTrue();
        dst.project("UPL").create().block();
        TransferReport up = BulkClient.of(dst, fast())
                .upload(tmp.resolve("SRC/S1/MR1"), dst.project("UPL"), null, null, null, Selection.all())
                .run()
                .block();
        assertThat(up.succeeded()).as(up.summary() + " " + up.failed()).isTrue();
        assertThat(up.files()).isEqualTo(6);
        assertSameRecord(dst, "UPL", "S1", "MR1");
    }
}
