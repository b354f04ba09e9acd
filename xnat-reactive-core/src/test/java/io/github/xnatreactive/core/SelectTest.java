package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

/** pyxnat's path grammar expanded against a real server. */
class SelectTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b ->
            b.user("admin", "admin").seed(SeedSpec.parse("DEMO:3x2x2x2x1K")).seed(SeedSpec.parse("OTHER:1x1x1x1x1K")));

    static XnatClient c;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
        ExperimentRef mr = c.project("DEMO").subject("DEMO_S001").experiment("DEMO_S001_MR1");
        mr.assessor("QC1").create("xnat:qcManualAssessorData", Map.of()).block();
        upload(mr.assessor("QC1").inResource("INPUTS").file("in.txt"));
        upload(mr.assessor("QC1").outResource("OUTPUTS").file("out1.txt"));
        upload(mr.assessor("QC1").outResource("OUTPUTS").file("out2.txt"));
        mr.reconstruction("RC1").create("xnat:reconstructedImageData", Map.of()).block();
        upload(mr.reconstruction("RC1").outResource("RECON").file("r.nii"));
    }

    static void upload(FileRef f) {
        byte[] b = f.relativePath().getBytes(StandardCharsets.UTF_8);
        f.upload(Flux.just(ByteBuffer.wrap(b)), b.length, UploadOptions.defaults())
                .block();
    }

    @AfterAll
    static void close() {
        c.close();
    }

    static List<String> paths(String select) {
        return c.select(select).map(ArchiveRef::path).collectList().block();
    }

    @Test
    void projects() {
        assertThat(c.select("/projects").collectList().block())
                .allSatisfy(r -> assertThat(r).isInstanceOf(ProjectRef.class))
                .extracting(ArchiveRef::id)
                .containsExactlyInAnyOrder("DEMO", "OTHER");
        assertThat(paths("/projects/D*")).containsExactly("/data/projects/DEMO");
        assertThat(paths("/project/?THER")).containsExactly("/data/projects/OTHER");
    }

    @Test
    void anIdThatSpellsALevelNameIsReadAsTheIdWhereThatLevelCannotFollow() {
        assertThat(Select.parse("/projects/PROJECT/subjects"))
                .containsExactly(new Select.Step("projects", "PROJECT"), new Select.Step("subjects", "*"));
        assertThat(Select.parse("/projects/P1/subjects/Scan/experiments/files/resources"))
                .containsExactly(
                        new Select.Step("projects", "P1"),
                        new Select.Step("subjects", "Scan"),
                        new Select.Step("experiments", "files"),
                        new Select.Step("resources", "*"));
        // a level that may follow is still a level: all subjects' experiments
        assertThat(Select.parse("/projects/P1/subjects/experiments"))
                .containsExactly(
                        new Select.Step("projects", "P1"),
                        new Select.Step("subjects", "*"),
                        new Select.Step("experiments", "*"));
        assertThat(paths("/projects/DEMO/subjects/*/experiments/*/scans/*/resources/*/files"))
                .hasSize(3 * 2 * 2 * 2);
    }

    @Test
    void experimentsOfEverySubject() {
        List<ArchiveRef> refs =
                c.select("/projects/DEMO/subjects/*/experiments").collectList().block();
        assertThat(refs).hasSize(6).allSatisfy(r -> assertThat(r).isInstanceOf(ExperimentRef.class));
        assertThat(refs).extracting(ArchiveRef::id).contains("DEMO_S001_MR1", "DEMO_S003_MR2");
        ExperimentRef e = (ExperimentRef) refs.get(0);
        assertThat(e.subject()).isNotNull();
        assertThat(e.subject().project().id()).isEqualTo("DEMO");
        assertThat(e.path()).startsWith("/data/projects/DEMO/subjects/");
        // a level without an ID means all of them
        assertThat(paths("/projects/DEMO/subjects/experiments")).hasSize(6);
    }

    @Test
    void singularLevelsAndDataPrefix() {
        List<String> expected = List.of(
                "/data/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/1",
                "/data/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/2");
        assertThat(paths("/project/DEMO/subject/DEMO_S001/experiment/DEMO_S001_MR1/scans"))
                .containsExactlyElementsOf(expected);
        assertThat(paths("/data/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scan/*"))
                .containsExactlyElementsOf(expected);
        assertThat(paths("/REST/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans"))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void globsOnLabelsAndIds() {
        assertThat(c.select("/projects/DEMO/subjects/DEMO_S00?")
                        .map(ArchiveRef::id)
                        .collectList()
                        .block())
                .containsExactly("DEMO_S001", "DEMO_S002", "DEMO_S003");
        assertThat(c.select("/projects/DEMO/subjects/*/experiments/*_MR2")
                        .map(ArchiveRef::id)
                        .collectList()
                        .block())
                .containsExactlyInAnyOrder("DEMO_S001_MR2", "DEMO_S002_MR2", "DEMO_S003_MR2");
        // accession IDs match too; the ref is made with the label
        String id = c.project("DEMO").subject("DEMO_S002").get().block().id();
        assertThat(c.select("/projects/DEMO/subjects/" + id.substring(0, id.length() - 1) + "?")
                        .map(ArchiveRef::id)
                        .collectList()
                        .block())
                .contains("DEMO_S002");
        // global experiments by accession ID
        String eid = c.project("DEMO").experiment("DEMO_S003_MR1").get().block().id();
        assertThat(c.select("/experiments/" + eid)
                        .map(ArchiveRef::path)
                        .collectList()
                        .block())
                .containsExactly("/data/experiments/" + eid);
        assertThat(c.select("/experiments/XNAT_E*").collectList().block()).hasSizeGreaterThanOrEqualTo(7);
        // scans by a glob on the ID; no match gives nothing
        assertThat(paths("/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/2*"))
                .containsExactly("/data/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/2");
        assertThat(paths("/projects/DEMO/subjects/NOBODY*")).isEmpty();
    }

    @Test
    void resourcesAndFiles() {
        String scan = "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/1";
        assertThat(c.select(scan + "/resources").collectList().block())
                .singleElement()
                .isInstanceOf(ResourceRef.class)
                .extracting(ArchiveRef::id)
                .isEqualTo("DICOM");
        List<ArchiveRef> files =
                c.select(scan + "/resources/DICOM/files").collectList().block();
        assertThat(files).hasSize(2).allSatisfy(f -> assertThat(f).isInstanceOf(FileRef.class));
        assertThat(c.select("/projects/DEMO/subjects/*/experiments/*/scans/*/resources/*/files")
                        .count()
                        .block())
                .isEqualTo(3 * 2 * 2 * 2);
        FileRef first = (FileRef) files.get(0);
        assertThat(paths(scan + "/resources/DICOM/files/" + first.relativePath()))
                .containsExactly("/data" + scan + "/resources/DICOM/files/" + first.relativePath());
        assertThat(paths(scan + "/resources/DICOM/files/*.dcm")).hasSize(2);
        assertThat(paths(scan + "/resources/DICOM/files/*.txt")).isEmpty();
    }

    @Test
    void inAndOutResources() {
        String qc = "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/assessors/QC1";
        assertThat(c.select(qc + "/out/resources")
                        .map(ArchiveRef::id)
                        .collectList()
                        .block())
                .containsExactly("OUTPUTS");
        assertThat(c.select(qc + "/in/resources")
                        .map(ArchiveRef::id)
                        .collectList()
                        .block())
                .containsExactly("INPUTS");
        assertThat(c.select(qc + "/out_resources/OUT*/files")
                        .cast(FileRef.class)
                        .map(FileRef::relativePath)
                        .collectList()
                        .block())
                .containsExactlyInAnyOrder("out1.txt", "out2.txt");
        List<ArchiveRef> out =
                c.select(qc + "/out/resources/OUTPUTS").collectList().block();
        assertThat(((ResourceRef) out.get(0)).direction()).isEqualTo("out");
        assertThat(out.get(0).path()).isEqualTo("/data" + qc + "/out/resources/OUTPUTS");

        String rc = "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/reconstructions/*";
        assertThat(c.select(rc + "/out/resources/*/files")
                        .cast(FileRef.class)
                        .map(FileRef::relativePath)
                        .collectList()
                        .block())
                .containsExactly("r.nii");
        assertThat(c.select(rc + "/in/resources").collectList().block()).isEmpty();
    }

    @Test
    void invalidPaths() {
        assertThatThrownBy(() -> c.select("/projects/DEMO/scans"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scans")
                .hasMessageContaining("subjects");
        assertThatThrownBy(() -> c.select("/nonsense"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nonsense")
                .hasMessageContaining("projects");
        assertThatThrownBy(() -> c.select("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.select("/projects/DEMO/subjects/S1/files"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.select("/projects/DEMO/subjects/S1/experiments/E1/scans/1/in/resources"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in_resources");
        assertThatThrownBy(() -> c.select("/projects/A/B")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPathWithoutWildcardsMakesNoRequest() {
        // nothing listens on port 1: any request would fail
        try (XnatClient offline = XnatClient.builder()
                .serverUrl("http://127.0.0.1:1")
                .credentials(Credentials.password("admin", "admin"))
                .retryPolicy(RetryPolicy.none())
                .build()) {
            List<ArchiveRef> refs = offline.select(
                            "/projects/P1/subjects/S1/experiments/E1/scans/3/resources/DICOM/files/sub/dir/1.dcm")
                    .collectList()
                    .block();
            assertThat(refs).singleElement().isInstanceOfSatisfying(FileRef.class, f -> {
                assertThat(f.relativePath()).isEqualTo("sub/dir/1.dcm");
                assertThat(f.path())
                        .isEqualTo(
                                "/data/projects/P1/subjects/S1/experiments/E1/scans/3/resources/DICOM/files/sub/dir/1.dcm");
                assertThat(f.resource().owner()).isInstanceOf(ScanRef.class);
            });
            assertThat(offline.select("/project/P1/subject/S1").collectList().block())
                    .singleElement()
                    .isInstanceOf(SubjectRef.class);
            assertThat(offline.select("/experiments/XNAT_E00001/assessors/A1/out/resources/R")
                            .map(ArchiveRef::path)
                            .collectList()
                            .block())
                    .containsExactly("/data/experiments/XNAT_E00001/assessors/A1/out/resources/R");
            // and a wildcard does go to the server
            assertThatThrownBy(() -> offline.select("/projects/P*").blockLast()).isNotNull();
        }
    }
}
