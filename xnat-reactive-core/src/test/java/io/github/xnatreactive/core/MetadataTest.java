package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Documents, custom variables, parameters, provenance and schemas through the SDK against the testkit over HTTP.
 */
class MetadataTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static XnatClient c;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    @AfterAll
    static void close() {
        c.close();
    }

    static final String SESSION =
            """
            <xnat:MRSession label="MR1" xmlns:xnat="http://nrg.wustl.edu/xnat" xmlns:prov="http://www.nbirn.net/prov"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <xnat:date>2024-03-05</xnat:date>
              <xnat:fields><xnat:field name="site">north</xnat:field></xnat:fields>
              <xnat:scans>
                <xnat:scan ID="1" type="T1w" xsi:type="xnat:mrScanData">
                  <xnat:parameters>
                    <xnat:voxelRes x="1" y="1" z="1.2"/>
                    <xnat:tr>2300</xnat:tr>
                    <xnat:addParam name="Phase encoding">ROW</xnat:addParam>
                  </xnat:parameters>
                </xnat:scan>
                <xnat:scan ID="2" type="T2w" xsi:type="xnat:mrScanData"/>
              </xnat:scans>
              <xnat:assessors>
                <xnat:assessor label="QC1" xsi:type="xnat:qcManualAssessorData"><xnat:rater>carol</xnat:rater></xnat:assessor>
              </xnat:assessors>
            </xnat:MRSession>
            """;

    private static ExperimentRef session(String project) {
        c.project(project).create().block();
        ExperimentRef e = c.project(project).subject("S1").experiment("MR1");
        String id = e.putDocument(XnatDocument.parse(SESSION), false).block();
        assertThat(id).matches("XNAT_E\\d{5}");
        return e;
    }

    @Test
    void aDocumentCreatesTheSessionWithItsScansAndReadsBackTyped() {
        ExperimentRef e = session("MT1");
        XnatDocument doc = e.document().block();
        assertThat(doc.xsiType()).isEqualTo("xnat:mrSessionData");
        assertThat(doc.label()).isEqualTo("MR1");
        assertThat(doc.project()).isEqualTo("MT1");
        assertThat(doc.customFields()).containsExactly(Map.entry("site", "north"));
        assertThat(doc.scans()).extracting(XnatDocument::id).containsExactly("1", "2");
        assertThat(doc.assessors()).extracting(XnatDocument::label).containsExactly("QC1");
        XnatDocument scan = doc.scans().get(0);
        assertThat(scan.field("parameters/tr")).contains("2300.0");
        assertThat(scan.field("parameters/voxelRes/z")).contains("1.2");
        assertThat(scan.field("parameters/addParam[name=Phase encoding]/addField"))
                .contains("ROW");
        assertThat(scan.field("parameters/nothing")).isEmpty();
        assertThat(doc.values("//xnat:scan/@type")).containsExactly("T1w", "T2w");
        assertThat(e.scans().collectList().block()).hasSize(2);
        // the accession ID is the server's; a PUT of the same document updates (200, the same ID)
        assertThat(e.putDocument(doc, false).block()).isEqualTo(doc.id());
    }

    @Test
    void parametersAndCustomFieldsAreSetOneByNameAndReadAsMaps() {
        ExperimentRef e = session("MT2");
        ScanRef scan = e.scan("1");
        scan.setParameters(Map.of("Echo train", "4")).block();
        assertThat(scan.parameters().block())
                .containsExactly(Map.entry("Echo train", "4"), Map.entry("Phase encoding", "ROW"));
        e.setCustomFields(Map.of("arm", "B")).block();
        assertThat(e.customFields().block()).containsExactly(Map.entry("arm", "B"), Map.entry("site", "north"));
        SubjectRef s = c.project("MT2").subject("S1");
        s.setCustomFields(Map.of("cohort", "A7")).block();
        assertThat(s.customFields().block()).containsExactly(Map.entry("cohort", "A7"));
        // a value the schema type cannot hold: 400, nothing changed
        assertThatThrownBy(() -> scan.update(Map.of("xnat:mrScanData/parameters/tr", "fast"))
                        .block())
                .isInstanceOfSatisfying(
                        XnatHttpException.class, x -> assertThat(x.status()).isEqualTo(400));
        assertThat(scan.document().block().field("parameters/tr")).contains("2300.0");
    }

    @Test
    void provenanceIsAddedOrReplacedAsRecords() {
        ExperimentRef e = session("MT3");
        AssessorRef qc = e.assessor("QC1");
        assertThat(qc.provenance().block()).isEmpty();
        ProcessStep first = new ProcessStep(
                "qc",
                "1.0",
                "--fast",
                "2024-03-06T10:00:00",
                null,
                "alice",
                "m1",
                "Linux",
                "6",
                null,
                null,
                null,
                null);
        qc.setProvenance(List.of(first), false).block();
        ProcessStep second = ProcessStep.of("report", "2024-03-06T11:00:00", "bob", "m2", "Linux");
        qc.setProvenance(List.of(second), false).block();
        assertThat(qc.provenance().block()).containsExactly(first, second);
        assertThat(qc.document().block().field("rater")).contains("carol");
        qc.setProvenance(List.of(second), true).block();
        assertThat(qc.provenance().block()).containsExactly(second);
        assertThatThrownBy(() -> ProcessStep.of("p", "t", "u", "m", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void projectsDefineCustomVariables() {
        ProjectRef p = c.project("MT4");
        p.create().block();
        assertThat(p.customVariables().block()).isEmpty();
        p.defineCustomVariables("xnat:subjectData", "clinical", Map.of("bmi", "float"))
                .block();
        assertThat(p.customVariables().block())
                .containsExactly(new CustomVariable("xnat:subjectData", "clinical", "bmi", "float"));
        assertThatThrownBy(() -> p.defineCustomVariables("xnat:nopeData", "g", Map.of("x", "string"))
                        .block())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schemasAreListedAndRead() {
        assertThat(c.serverInfo().schemas().collectList().block()).contains("xnat", "xdat");
        assertThat(c.serverInfo().schema("xnat").block()).contains("targetNamespace=\"http://nrg.wustl.edu/xnat\"");
        assertThatThrownBy(() -> c.serverInfo().schema("nope").block()).isInstanceOf(XnatNotFoundException.class);
    }

    @Test
    void copyForDropsTheIdsTheSourceGaveAndKeepsEverythingElse() {
        XnatDocument doc = session("MT5").document().block();
        XnatDocument copy = doc.copyFor("MT6", "MR9");
        assertThat(copy.id()).isNull();
        assertThat(copy.project()).isEqualTo("MT6");
        assertThat(copy.label()).isEqualTo("MR9");
        assertThat(copy.assessors().get(0).id()).isNull();
        assertThat(copy.scans()).extracting(XnatDocument::id).containsExactly("1", "2");
        assertThat(copy.values("//xnat:subject_ID")).isEmpty();
        assertThat(doc.id()).isNotNull(); // the original is unchanged
        c.project("MT6").create().block();
        ExperimentRef dst = c.project("MT6").subject("S9").experiment("MR9");
        dst.putDocument(copy, false).block();
        assertThat(dst.document().block().scans().get(0).parameters())
                .containsExactly(Map.entry("Phase encoding", "ROW"));
    }
}
