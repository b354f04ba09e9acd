package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** Create, read, update, rename, delete and list every level of the archive, over real HTTP. */
class HierarchyTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:3x2x2x1x1K")));

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

    // ------------------------------------------------------------------ projects

    @Test
    void projectLifecycle() {
        ProjectRef p = c.project("HPROJ");
        assertThat(p.exists().block()).isFalse();
        p.create(Map.of("name", "Hierarchy project", "description", "first")).block();
        assertThat(p.exists().block()).isTrue();

        Project got = p.get().block();
        assertThat(got.id()).isEqualTo("HPROJ");
        assertThat(got.name()).isEqualTo("Hierarchy project");
        assertThat(got.description()).isEqualTo("first");

        p.update(Map.of("name", "Renamed project")).block();
        assertThat(p.get().block().name()).isEqualTo("Renamed project");
        assertThat(c.projects()
                        .filter(x -> x.id().equals("HPROJ"))
                        .single()
                        .block()
                        .name())
                .isEqualTo("Renamed project");

        p.delete(true).block();
        assertThat(p.exists().block()).isFalse();
        assertThat(c.projects().map(Project::id).collectList().block()).doesNotContain("HPROJ");
    }

    @Test
    void projectExtras() {
        ProjectRef p = c.project("XTRA");
        p.create(Map.of("name", "Extras")).block();

        assertThat(p.accessibility().block()).isEqualTo("private");
        p.setAccessibility("Protected").block();
        assertThat(p.accessibility().block()).isEqualTo("protected");
        assertThatThrownBy(() -> p.setAccessibility("open")).isInstanceOf(IllegalArgumentException.class);

        assertThat(p.prearchiveCode().block()).isBetween(0, 4);
        p.setPrearchiveCode(4).block();
        assertThat(p.prearchiveCode().block()).isEqualTo(4);
        assertThatThrownBy(() -> p.setPrearchiveCode(5)).isInstanceOf(IllegalArgumentException.class);

        p.setQuarantineCode(1).block();
        assertThat(p.quarantineCode().block()).isEqualTo(1);
        p.setQuarantineCode(0).block();
        assertThat(p.quarantineCode().block()).isEqualTo(0);

        assertThat(p.currentArc().block()).isNotBlank();
        p.setCurrentArc("arc002").block();
        assertThat(p.currentArc().block()).isEqualTo("arc002");

        assertThat(p.aliases().collectList().block()).isEmpty();
        p.addAlias("XTRA_ALIAS").block();
        p.addAlias("XTRA_OTHER").block();
        assertThat(p.aliases().collectList().block()).containsExactlyInAnyOrder("XTRA_ALIAS", "XTRA_OTHER");
        // reachable by its alias
        assertThat(c.project("XTRA_ALIAS").exists().block()).isTrue();

        p.setDescription("A project with extras").block();
        assertThat(p.description().block()).isEqualTo("A project with extras");
    }

    @Test
    void projectDocuments() {
        ProjectRef p = c.project("DEMO");
        String xml = p.xml().block();
        assertThat(xml).startsWith("<?xml").contains("xnat:Project").contains("ID=\"DEMO\"");
        String json = p.json().block();
        assertThat(json).contains("\"items\"").contains("\"data_fields\"");
        assertThat(p.fields().block()).containsEntry("ID", "DEMO");
    }

    @Test
    void listingsKeepUnknownColumns() {
        Project demo = c.projects().filter(x -> x.id().equals("DEMO")).single().block();
        // the default /projects listing has columns the record does not name; they stay in columns()
        assertThat(demo.columns()).containsKeys("ID", "name", "URI");
        assertThat(demo.uri()).isEqualTo("/data/projects/DEMO");

        Subject s = c.project("DEMO")
                .subjects(ListOptions.of().columns("ID", "label", "gender", "xnat:subjectData/group"))
                .blockFirst();
        assertThat(s.columns()).containsKey("gender");
        assertThat(s.column("GENDER")).isEqualTo(s.columns().get("gender"));
        assertThat(s.column("no_such_column")).isEmpty();
    }

    // ------------------------------------------------------------------ subjects

    @Test
    void subjectLifecycleWithShortNamesAndXPaths() {
        ProjectRef p = c.project("SUBJ");
        p.create().block();
        SubjectRef s = p.subject("S_one");
        assertThat(s.exists().block()).isFalse();

        String id = s.create(Map.of("gender", "female", "xnat:subjectData/group", "control"))
                .block();
        assertThat(id).matches("XNAT_S\\d+");
        // a second PUT updates and still returns the same accession ID
        assertThat(s.create(Map.of("handedness", "left")).block()).isEqualTo(id);
        assertThat(s.exists().block()).isTrue();

        Map<String, String> fields = s.fields().block();
        assertThat(fields).containsEntry("label", "S_one");
        assertThat(fields.values()).contains("female", "control", "left");

        Subject got = s.get().block();
        assertThat(got.id()).isEqualTo(id);
        assertThat(got.label()).isEqualTo("S_one");
        assertThat(got.project()).isEqualTo("SUBJ");

        List<Subject> listed = p.subjects(ListOptions.of().columns("ID", "label", "gender", "group"))
                .collectList()
                .block();
        assertThat(listed).singleElement().satisfies(x -> {
            assertThat(x.id()).isEqualTo(id);
            assertThat(x.column("gender")).isEqualTo("female");
            assertThat(x.column("group")).isEqualTo("control");
        });
        List<Subject> byXPath = p.subjects(ListOptions.of().columns("ID", "label", "xnat:subjectData/group"))
                .collectList()
                .block();
        assertThat(byXPath.get(0).columns()).containsValue("control");

        s.update(Map.of("gender", "male")).block();
        assertThat(s.fields().block()).containsValue("male");

        // the same subject by accession ID
        assertThat(p.subject(id).get().block().label()).isEqualTo("S_one");

        s.rename("S_renamed").block();
        assertThat(s.exists().block()).isFalse();
        SubjectRef renamed = p.subject("S_renamed");
        assertThat(renamed.get().block().id()).isEqualTo(id);

        p.subject("S_two").create().block();
        assertThatThrownBy(() -> p.subject("S_two").rename("S_renamed").block())
                .isInstanceOf(XnatConflictException.class);

        renamed.delete(true).block();
        assertThat(renamed.exists().block()).isFalse();
        assertThat(p.subjects().map(Subject::label).collectList().block()).containsExactly("S_two");
    }

    // ------------------------------------------------------------------ experiments

    @Test
    void experimentsWithTypesParentsAndRename() {
        SubjectRef s = c.project("EXPP").subject("AUTO_SUBJ");
        ExperimentRef pet = s.experiment("PET1");
        // with createParents the project is created; XNAT auto-creates the subject
        String id = pet.create("xnat:petSessionData", Map.of("date", "2024-05-01"), true)
                .block();
        assertThat(id).matches("XNAT_E\\d+");
        assertThat(c.project("EXPP").exists().block()).isTrue();
        assertThat(s.exists().block()).isTrue();

        Experiment got = pet.get().block();
        assertThat(got.id()).isEqualTo(id);
        assertThat(got.label()).isEqualTo("PET1");
        assertThat(got.xsiType()).isEqualTo("xnat:petSessionData");
        assertThat(got.date()).isEqualTo("2024-05-01");
        assertThat(got.project()).isEqualTo("EXPP");

        String mrId = s.experiment("MR1")
                .create("xnat:mrSessionData", Map.of("xnat:mrSessionData/fieldStrength", "3.0"))
                .block();
        List<Experiment> all = s.experiments().collectList().block();
        assertThat(all).extracting(Experiment::label).containsExactlyInAnyOrder("PET1", "MR1");
        assertThat(all).filteredOn(e -> e.label().equals("MR1")).singleElement().satisfies(e -> assertThat(e.xsiType())
                .isEqualTo("xnat:mrSessionData"));

        // the same experiment through the project, by label and by accession ID, and globally by ID
        assertThat(c.project("EXPP").experiment("MR1").get().block().id()).isEqualTo(mrId);
        assertThat(c.experiment(mrId).get().block().label()).isEqualTo("MR1");
        assertThat(c.experiment(mrId).exists().block()).isTrue();
        assertThat(c.experiment("XNAT_E99999").exists().block()).isFalse();

        pet.update(Map.of("date", "2024-06-01")).block();
        assertThat(pet.get().block().date()).isEqualTo("2024-06-01");

        pet.rename("PET_renamed").block();
        assertThat(pet.exists().block()).isFalse();
        assertThat(s.experiment("PET_renamed").get().block().id()).isEqualTo(id);
        assertThatThrownBy(() -> s.experiment("PET_renamed").rename("MR1").block())
                .isInstanceOf(XnatConflictException.class);

        s.experiment("PET_renamed").delete(true).block();
        assertThat(c.experiment(id).exists().block()).isFalse();
    }

    @Test
    void creatingAnExperimentNeedsItsSubject() {
        StepVerifier.create(c.project("DEMO").experiment("X").create("xnat:mrSessionData", Map.of()))
                .expectError(IllegalStateException.class)
                .verify();
    }

    @Test
    void experimentDocuments() {
        ExperimentRef e = c.project("DEMO").subject("DEMO_S001").experiment("DEMO_S001_MR1");
        assertThat(e.xml().block()).contains("xnat:MRSession").contains("label=\"DEMO_S001_MR1\"");
        assertThat(e.json().block()).contains("xnat:mrSessionData");
    }

    @Test
    void listOptionsFiltersColumnsSortAndPaging() {
        ProjectRef demo = c.project("DEMO");
        assertThat(demo.experiments().count().block()).isEqualTo(6);

        List<Experiment> mr1 = demo.experiments(ListOptions.of().filter("label", "*_MR1"))
                .collectList()
                .block();
        assertThat(mr1)
                .extracting(Experiment::label)
                .containsExactlyInAnyOrder("DEMO_S001_MR1", "DEMO_S002_MR1", "DEMO_S003_MR1");

        List<Subject> two = demo.subjects(ListOptions.of().filter("label", "DEMO_S001,DEMO_S003"))
                .collectList()
                .block();
        assertThat(two).extracting(Subject::label).containsExactlyInAnyOrder("DEMO_S001", "DEMO_S003");

        assertThat(demo.experiments(ListOptions.of().xsiType("xnat:mrSessionData"))
                        .count()
                        .block())
                .isEqualTo(6);
        assertThat(demo.experiments(ListOptions.of().xsiType("xnat:petSessionData"))
                        .count()
                        .block())
                .isZero();

        List<Experiment> cols = demo.experiments(ListOptions.of().columns("ID", "label", "subject_label"))
                .collectList()
                .block();
        assertThat(cols).allSatisfy(x -> {
            assertThat(x.columns()).containsKeys("ID", "label", "subject_label", "URI");
            assertThat(x.label()).startsWith(x.column("subject_label"));
        });

        List<String> desc = demo.subjects(ListOptions.of().sortBy("label", true))
                .map(Subject::label)
                .collectList()
                .block();
        assertThat(desc).containsExactly("DEMO_S003", "DEMO_S002", "DEMO_S001");
        List<String> asc = demo.subjects(ListOptions.of().sortBy("label", false))
                .map(Subject::label)
                .collectList()
                .block();
        assertThat(asc).containsExactly("DEMO_S001", "DEMO_S002", "DEMO_S003");

        List<String> page = demo.subjects(
                        ListOptions.of().sortBy("label", false).page(1, 1))
                .map(Subject::label)
                .collectList()
                .block();
        assertThat(page).containsExactly("DEMO_S002");
        assertThatThrownBy(() -> ListOptions.of().page(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void globalExperiments() {
        List<Experiment> all = c.experiments().collectList().block();
        assertThat(all).extracting(Experiment::label).contains("DEMO_S001_MR1", "DEMO_S003_MR2");
        Experiment one = all.stream()
                .filter(x -> x.label().equals("DEMO_S002_MR2"))
                .findFirst()
                .orElseThrow();
        assertThat(one.project()).isEqualTo("DEMO");
        assertThat(one.uri()).isEqualTo("/data/experiments/" + one.id());
        assertThat(c.experiment(one.id()).get().block().label()).isEqualTo("DEMO_S002_MR2");
        assertThat(c.experiments(ListOptions.of().filter("label", "DEMO_S00?_MR2".replace('?', '*')))
                        .count()
                        .block())
                .isEqualTo(3);
        assertThat(c.experiment(one.id()).scans().count().block()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ scans, assessors, reconstructions

    @Test
    void scansAssessorsAndReconstructions() {
        ExperimentRef e = c.project("SCN").subject("S1").experiment("MR1");
        e.create("xnat:mrSessionData", Map.of(), true).block();

        ScanRef scan = e.scan("7");
        assertThat(scan.exists().block()).isFalse();
        scan.create("xnat:mrScanData", Map.of("type", "T1w", "quality", "usable"))
                .block();
        assertThat(scan.exists().block()).isTrue();
        Scan got = scan.get().block();
        assertThat(got.id()).isEqualTo("7");
        assertThat(got.type()).isEqualTo("T1w");
        assertThat(got.quality()).isEqualTo("usable");
        assertThat(got.xsiType()).isEqualTo("xnat:mrScanData");
        scan.update(Map.of("quality", "questionable", "series_description", "t1_mprage"))
                .block();
        Scan listed = e.scans().single().block();
        assertThat(listed.quality()).isEqualTo("questionable");
        assertThat(listed.seriesDescription()).isEqualTo("t1_mprage");
        assertThat(listed.xsiType()).isEqualTo("xnat:mrScanData");
        assertThat(scan.xml().block()).contains("T1w");
        // a scan needs a concrete type
        assertThatThrownBy(
                        () -> e.scan("8").create("xnat:imageScanData", Map.of()).block())
                .isInstanceOf(XnatHttpException.class);

        AssessorRef qc = e.assessor("QC1");
        String qcId = qc.create("xnat:qcManualAssessorData", Map.of()).block();
        assertThat(qcId).matches("XNAT_E\\d+");
        assertThat(qc.exists().block()).isTrue();
        assertThat(e.assessors().collectList().block()).singleElement().satisfies(a -> {
            assertThat(a.label()).isEqualTo("QC1");
            assertThat(a.id()).isEqualTo(qcId);
            assertThat(a.xsiType()).isEqualTo("xnat:qcManualAssessorData");
        });
        assertThat(e.assessor(qcId).exists().block()).isTrue();

        ReconstructionRef rc = e.reconstruction("RC1");
        rc.create("xnat:reconstructedImageData", Map.of("type", "MPR")).block();
        assertThat(rc.exists().block()).isTrue();
        assertThat(e.reconstructions().collectList().block()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("RC1");
            assertThat(r.type()).isEqualTo("MPR");
        });
        rc.update(Map.of("type", "MIP")).block();
        assertThat(e.reconstructions().single().block().type()).isEqualTo("MIP");

        scan.delete(true).block();
        assertThat(scan.exists().block()).isFalse();
        qc.delete(true).block();
        assertThat(qc.exists().block()).isFalse();
        rc.delete(true).block();
        assertThat(rc.exists().block()).isFalse();
    }

    @Test
    void existsFailsOnErrorsOtherThanNotFound() {
        // an unreachable server is an error, not "false"
        try (XnatClient offline = XnatClient.builder()
                .serverUrl("http://127.0.0.1:1")
                .credentials(Credentials.password("admin", "admin"))
                .retryPolicy(RetryPolicy.none())
                .build()) {
            StepVerifier.create(offline.project("DEMO").exists()).expectError().verify();
        }
    }
}
