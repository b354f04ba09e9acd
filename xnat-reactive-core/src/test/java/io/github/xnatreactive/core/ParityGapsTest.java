package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.Trigger;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * The parity gaps of issue 16 over real HTTP against the testkit: {@code select} with {@code //} descendants,
 * numeric resource IDs and project aliases; assessor and reconstruction archives; the processing triggers; aliases
 * wherever a project ID is taken.
 */
class ParityGapsTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.user("admin", "admin")
            .user("collab", "collabpw")
            // an XNAT whose share looks the other project up by ID only (getXnatProjectdatasById without the
            // user's project cache): an alias there is "Unable to identify project"
            .route(
                    "PUT",
                    "/data/projects/{p}/subjects/{s}/projects/{target}",
                    req -> req.pathVariable("target").equals("AWAY_BY_ID_ONLY")
                            ? RouteResponse.error(404, "Unable to identify project: AWAY_BY_ID_ONLY")
                            : RouteResponse.proceed())
            .seed(SeedSpec.parse("GAPS:1x1x2x2x1K"))
            .seed(SeedSpec.parse("AWAY:1x1x1x1x1K")));

    static XnatClient c;
    static ExperimentRef mr;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        c = login("admin", "admin");
        ProjectRef p = c.project("GAPS");
        mr = p.subject("GAPS_S001").experiment("GAPS_S001_MR1");
        upload(p.resource("NOTES").file("project.txt"));
        upload(p.subject("GAPS_S001").resource("FORMS").file("subject.txt"));
        upload(mr.resource("SNAPSHOTS").file("session.txt"));
        mr.assessor("QC1").create("xnat:qcManualAssessorData", Map.of()).block();
        mr.assessor("QC2").create("xnat:qcManualAssessorData", Map.of()).block();
        upload(mr.assessor("QC1").resource("PDF").file("report.pdf"));
        upload(mr.assessor("QC1").outResource("OUTPUTS").file("out1.txt"));
        upload(mr.assessor("QC2").inResource("INPUTS").file("in.txt"));
        upload(mr.assessor("QC2").outResource("OUTPUTS").file("out2.txt"));
        mr.reconstruction("RC1").create("xnat:reconstructedImageData", Map.of()).block();
        upload(mr.reconstruction("RC1").outResource("RECON").file("r.nii"));
        upload(mr.reconstruction("RC1").outResource("RECON").file("sub/r2.nii"));
        p.addAlias("GAPS_ALIAS").block();
        c.project("AWAY").addAlias("AWAY_ALIAS").block();
        c.project("AWAY").addAlias("AWAY_BY_ID_ONLY").block();
        p.addUser("collab", ProjectRole.COLLABORATOR).block();
    }

    static void upload(FileRef f) {
        SelectTest.upload(f);
    }

    static XnatClient login(String user, String password) {
        return XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password(user, password))
                .build();
    }

    @AfterAll
    static void close() {
        c.close();
    }

    static List<String> paths(String select) {
        return c.select(select).map(ArchiveRef::path).collectList().block();
    }

    /** Every file of project GAPS, found level by level with listings (no select). */
    static TreeSet<String> everyFileOfGaps() {
        ProjectRef p = c.project("GAPS");
        List<Flux<String>> all = new ArrayList<>();
        all.add(p.resources().flatMap(r -> files(p.resource(r.label()))));
        SubjectRef s = p.subject("GAPS_S001");
        all.add(s.resources().flatMap(r -> files(s.resource(r.label()))));
        all.add(mr.resources().flatMap(r -> files(mr.resource(r.label()))));
        all.add(mr.scans().flatMap(sc -> mr.scan(sc.id())
                .resources()
                .flatMap(r -> files(mr.scan(sc.id()).resource(r.label())))));
        for (DerivedRef d : List.of(mr.assessor("QC1"), mr.assessor("QC2"), mr.reconstruction("RC1"))) {
            all.add(d.resources().flatMap(r -> files(d.resource(r.label()))));
            all.add(d.inResources().flatMap(r -> files(d.inResource(r.label()))));
            all.add(d.outResources().flatMap(r -> files(d.outResource(r.label()))));
        }
        return new TreeSet<>(Flux.concat(all).collectList().block());
    }

    static Flux<String> files(ResourceRef r) {
        return r.files().map(f -> r.file(f.path()).path());
    }

    // ------------------------------------------------------------------ select: // descendants

    @Test
    void doubleSlashReachesEveryFileBelowTheProjectOnce() {
        List<String> found = paths("/projects/GAPS//files");
        TreeSet<String> want = everyFileOfGaps();
        assertThat(want).hasSizeGreaterThan(10);
        assertThat(found).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(found)).isEqualTo(want);
        assertThat(found)
                .anyMatch(f -> f.contains("/assessors/QC1/out/resources/OUTPUTS/files/out1.txt"))
                .anyMatch(f -> f.contains("/assessors/QC2/in/resources/INPUTS/files/in.txt"))
                .anyMatch(f -> f.contains("/reconstructions/RC1/out/resources/RECON/files/sub/r2.nii"))
                .anyMatch(f -> f.endsWith("/projects/GAPS/resources/NOTES/files/project.txt"));
        assertThat(c.select("/projects/GAPS//files").collectList().block())
                .allSatisfy(r -> assertThat(r).isInstanceOf(FileRef.class));
    }

    @Test
    void doubleSlashKeepsTheLastLevelsPatternAndWorksFromTheRoot() {
        assertThat(paths("/projects/GAPS//files/*.txt"))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f).endsWith(".txt"))
                .noneMatch(f -> f.endsWith(".nii") || f.endsWith(".pdf"));
        assertThat(paths("/projects/GAPS//resources"))
                .contains(
                        c.project("GAPS").resource("NOTES").path(),
                        mr.resource("SNAPSHOTS").path(),
                        mr.assessor("QC1").resource("PDF").path())
                .noneMatch(r -> r.contains("/out/") || r.contains("/in/"));
        List<String> fromRoot = paths("//files");
        assertThat(fromRoot).containsAll(everyFileOfGaps()).anyMatch(f -> f.contains("/projects/AWAY/"));
        assertThat(paths("/projects/GAPS/subjects/GAPS_S001/experiments/GAPS_S001_MR1//out_resources"))
                .containsExactlyInAnyOrder(
                        mr.assessor("QC1").outResource("OUTPUTS").path(),
                        mr.assessor("QC2").outResource("OUTPUTS").path(),
                        mr.reconstruction("RC1").outResource("RECON").path());
    }

    @Test
    void doubleSlashToALevelThatIsNotBelowIsRefused() {
        assertThatThrownBy(() -> c.select("/projects/GAPS//projects"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("projects");
        assertThatThrownBy(() -> c.select("/projects/GAPS//nonsense")).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ select: numeric resource IDs, tags

    @Test
    void aResourceIsNamedByItsNumericIdAsWellAsItsLabel() {
        ScanRef scan = mr.scan("1");
        Resource dicom = scan.resources().filter(r -> r.label().equals("DICOM")).blockFirst();
        assertThat(dicom.id()).matches("\\d+");
        String base = "/projects/GAPS/subjects/GAPS_S001/experiments/GAPS_S001_MR1/scans/1/resources/";
        List<String> byLabel = c.select(base + "DICOM/files")
                .map(f -> ((FileRef) f).relativePath())
                .collectList()
                .block();
        List<String> byId = c.select(base + dicom.id() + "/files")
                .map(f -> ((FileRef) f).relativePath())
                .collectList()
                .block();
        assertThat(byId).isNotEmpty().isEqualTo(byLabel);
        // a glob matches IDs too, and names the resource by its label
        assertThat(paths(base + dicom.id().charAt(0) + "*"))
                .containsExactly(scan.resource("DICOM").path());
        assertThat(scan.resource(dicom.id()).files().count().block()).isEqualTo(byLabel.size());
    }

    @Test
    void tagsAreOnResourcesAndFilesNotASelectLevel() {
        assertThatThrownBy(() -> c.select("/tags"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Resource.tags()");
        ResourceRef tagged = c.project("GAPS").resource("TAGGED");
        tagged.create("TXT", "NOTES", "reviewed", "phase=2").block();
        byte[] b = "tagged".getBytes(StandardCharsets.UTF_8);
        tagged.file("t.txt")
                .upload(
                        Flux.just(ByteBuffer.wrap(b)),
                        b.length,
                        UploadOptions.defaults().tags("draft"))
                .block();
        Resource r = c.project("GAPS")
                .resources()
                .filter(x -> x.label().equals("TAGGED"))
                .blockFirst();
        assertThat(r.tags()).contains("reviewed").contains("phase=2");
        assertThat(tagged.file("t.txt").entry().block().tags()).contains("draft");
    }

    // ------------------------------------------------------------------ assessor and reconstruction archives

    static Map<String, Long> zipEntries(Path zip) throws IOException {
        return ParityTest.zipEntries(zip);
    }

    @Test
    void assessorArchivesAreKeptOrExtracted() throws Exception {
        // XNAT's assessors/{ids}/files is the files of their out resources
        Path zip = mr.downloadAssessorsZip(tmp.resolve("zips/qc.zip")).block();
        Map<String, Long> entries = zipEntries(zip);
        assertThat(entries.keySet())
                .hasSize(2)
                .anyMatch(n -> n.endsWith("/files/out1.txt"))
                .anyMatch(n -> n.endsWith("/files/out2.txt"));
        assertThat(entries.values()).containsOnly((long) "out1.txt".length());
        try (Stream<Path> left = Files.list(zip.getParent())) {
            assertThat(left).containsExactly(zip);
        }
        // by label or by accession ID, one of them
        String qc2 = mr.assessor("QC2").fields().block().get("ID");
        for (String which : List.of("QC2", qc2)) {
            assertThat(zipEntries(mr.downloadAssessorsZip(tmp.resolve(which + ".zip"), which)
                                    .block())
                            .keySet())
                    .singleElement()
                    .satisfies(n -> assertThat(n).endsWith("/files/out2.txt"));
        }

        List<Path> extracted = mr.downloadAssessors(tmp.resolve("qc"), "QC1").block();
        assertThat(extracted).singleElement().satisfies(p -> assertThat(p)
                .startsWith(tmp.resolve("qc"))
                .hasFileName("out1.txt")
                .hasContent("out1.txt"));
    }

    @Test
    void reconstructionArchivesAreKeptOrExtracted() throws Exception {
        Map<String, Long> entries = zipEntries(
                mr.downloadReconstructionsZip(tmp.resolve("rc.zip"), "RC1").block());
        assertThat(entries.keySet())
                .hasSize(2)
                .anyMatch(n -> n.endsWith("/files/r.nii"))
                .anyMatch(n -> n.endsWith("/files/sub/r2.nii"));
        List<Path> extracted = mr.downloadReconstructions(tmp.resolve("rc")).block();
        assertThat(extracted)
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).hasFileName("r2.nii").hasContent("sub/r2.nii"));
    }

    @Test
    void anArchiveOfNothingIsNotFoundAndLeavesNothing() {
        Path target = tmp.resolve("none.zip");
        assertThatThrownBy(() -> mr.downloadAssessorsZip(target, "NO_SUCH_QC").block())
                .isInstanceOf(XnatNotFoundException.class);
        assertThat(target).doesNotExist();
        assertThatThrownBy(() -> mr.downloadReconstructions(tmp.resolve("none"), "NO_SUCH_RC")
                        .block())
                .isInstanceOf(XnatNotFoundException.class);
    }

    // ------------------------------------------------------------------ triggers

    static List<String> triggersOf(String experimentId) {
        return xnat.server().triggers().stream()
                .filter(t -> t.experimentId().equals(experimentId))
                .map(t -> t.name() + "/" + t.project() + "/" + t.user())
                .toList();
    }

    @Test
    void triggersArriveAsXnatRunsThem() {
        ExperimentRef e = c.project("GAPS").subject("GAPS_S001").experiment("TRIGGERED");
        String id = e.create("xnat:mrSessionData", Map.of()).block();

        e.triggerPipelines().block();
        e.fixScanTypes().block();
        e.pullDataFromHeaders().block();
        e.trigger(true, true, true).block();
        e.trigger(false, false, false).block(); // sends nothing

        assertThat(triggersOf(id))
                .containsExactly(
                        "triggerPipelines/GAPS/admin",
                        "fixScanTypes/GAPS/admin",
                        "pullDataFromHeaders/GAPS/admin",
                        "fixScanTypes/GAPS/admin",
                        "pullDataFromHeaders/GAPS/admin",
                        "triggerPipelines/GAPS/admin");
        // XNAT fixes scan types and pulls header data only for image sessions: for an assessor, only pipelines
        String qc = mr.assessor("QC1").fields().block().get("ID");
        c.experiment(qc).trigger(true, true, true).block();
        assertThat(triggersOf(qc)).containsExactly("triggerPipelines/GAPS/admin");
        assertThat(xnat.server().triggers()).allSatisfy(t -> assertThat(t).isInstanceOf(Trigger.class));
    }

    @Test
    void aUsersProjectGroupsAreReadForThemselvesOrByAnAdministrator() {
        assertThat(c.users().groups("collab").collectList().block()).containsExactly("GAPS_collaborator");
        try (XnatClient collab = login("collab", "collabpw")) {
            assertThat(collab.users().groups("collab").collectList().block()).containsExactly("GAPS_collaborator");
            assertThatThrownBy(
                            () -> collab.users().groups("admin").collectList().block())
                    .isInstanceOf(XnatForbiddenException.class);
        }
    }

    @Test
    void aTriggerWithoutEditRightsIsForbiddenAndDoesNotArrive() {
        String id = mr.get().block().id();
        int before = triggersOf(id).size();
        try (XnatClient collab = login("collab", "collabpw")) {
            ExperimentRef asCollab = collab.project("GAPS").subject("GAPS_S001").experiment("GAPS_S001_MR1");
            assertThatThrownBy(() -> asCollab.triggerPipelines().block()).isInstanceOf(XnatForbiddenException.class);
        }
        assertThat(triggersOf(id)).hasSize(before);
        assertThatThrownBy(() -> c.project("GAPS")
                        .subject("GAPS_S001")
                        .experiment("NO_SUCH")
                        .fixScanTypes()
                        .block())
                .isInstanceOf(XnatHttpException.class);
    }

    // ------------------------------------------------------------------ pyxnat's inspect value lists and uriutil

    @Test
    void inspectValueListsAreListings() {
        String session = mr.get().block().id();
        // inspect.project_values(), subject_values(project), experiment_values(type, project)
        assertThat(c.projects().map(Project::id).collectList().block()).contains("GAPS", "AWAY");
        assertThat(c.project("GAPS")
                        .subjects()
                        .map(Subject::label)
                        .collectList()
                        .block())
                .contains("GAPS_S001");
        List<Experiment> mrs = c.experiments(
                        ListOptions.of().xsiType("xnat:mrSessionData").filter("project", "GAPS"))
                .collectList()
                .block();
        assertThat(mrs).extracting(Experiment::id).contains(session);
        assertThat(mrs).extracting(Experiment::project).containsOnly("GAPS");
        // assessor_values, scan_values, reconstruction_values (exp_type, project)
        assertThat(Flux.fromIterable(mrs)
                        .flatMap(e -> c.experiment(e.id()).assessors())
                        .map(Experiment::label)
                        .collectList()
                        .block())
                .contains("QC1", "QC2");
        assertThat(c.experiment(session).scans().map(Scan::id).collectList().block())
                .containsExactly("1", "2");
        assertThat(c.experiment(session)
                        .reconstructions()
                        .map(Reconstruction::id)
                        .collectList()
                        .block())
                .containsExactly("RC1");
        // project.last_modified(): the subjects listing's last_modified column
        assertThat(c.project("GAPS")
                        .subjects(ListOptions.of().columns("ID", "label", "last_modified"))
                        .map(x -> x.column("last_modified"))
                        .collectList()
                        .block())
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v).isNotBlank());
        // experiment_types(), assessor_types(), scan_types(): the data types the listings carry
        assertThat(c.experiments()
                        .map(Experiment::xsiType)
                        .distinct()
                        .collectList()
                        .block())
                .contains("xnat:mrSessionData");
        assertThat(mr.assessors()
                        .map(Experiment::xsiType)
                        .distinct()
                        .collectList()
                        .block())
                .containsExactly("xnat:qcManualAssessorData");
        assertThat(mr.scans().map(Scan::xsiType).distinct().collectList().block())
                .containsExactly("xnat:mrScanData");
    }

    @Test
    void refsComposeAndTakeApartPathsAsUriutilDoes() {
        FileRef f = mr.assessor("QC1").outResource("OUTPUTS").file("sub/x.txt");
        // join_uri, translate_uri (out_resources -> out/resources)
        assertThat(f.path())
                .isEqualTo("/data/projects/GAPS/subjects/GAPS_S001/experiments/GAPS_S001_MR1"
                        + "/assessors/QC1/out/resources/OUTPUTS/files/sub/x.txt");
        // uri_last, file_path, uri_parent, uri_grandparent
        assertThat(f.relativePath()).isEqualTo("sub/x.txt");
        assertThat(f.resource().id()).isEqualTo("OUTPUTS");
        assertThat(f.resource().owner().id()).isEqualTo("QC1");
        assertThat(mr.subject().project().id()).isEqualTo("GAPS");
        // extract_uri / inv_translate_uri: a path parses back into the same ref, without a request
        assertThat(c.select(f.path()).single().block()).isEqualTo(f);
    }

    // ------------------------------------------------------------------ current_arc as pyxnat sets it

    @Test
    void aSubfolderOfTheCurrentArcIsStoredWholeAsXnatStoresIt() {
        ProjectRef p = c.project("ARCS");
        p.create().block();
        assertThat(p.currentArc().block()).isEqualTo("arc001");
        p.setSubfolderInCurrentArc("batch2").block();
        assertThat(p.currentArc().block()).isEqualTo("arc001/batch2");
        p.setCurrentArc("arc002").block();
        assertThat(p.currentArc().block()).isEqualTo("arc002");
    }

    // ------------------------------------------------------------------ project aliases

    @Test
    void anAliasNamesTheProjectInRefsAndSelect() {
        ProjectRef byAlias = c.project("GAPS_ALIAS");
        assertThat(byAlias.get().block().id()).isEqualTo("GAPS");
        assertThat(byAlias.subjects().map(Subject::label).collectList().block())
                .isEqualTo(c.project("GAPS")
                        .subjects()
                        .map(Subject::label)
                        .collectList()
                        .block());
        assertThat(c.select("/projects/GAPS_ALIAS/subjects/*/experiments")
                        .map(ArchiveRef::id)
                        .collectList()
                        .block())
                .contains("GAPS_S001_MR1");
        // a glob matches aliases too, and names each project once, by its ID
        assertThat(c.select("/projects/*_ALIAS")
                        .map(ArchiveRef::id)
                        .collectList()
                        .block())
                .containsExactly("GAPS", "AWAY");
        assertThat(c.select("/projects/GAPS*").map(ArchiveRef::id).collectList().block())
                .containsExactly("GAPS");
        // files reached through the alias are the project's
        byte[] b = "via alias".getBytes(StandardCharsets.UTF_8);
        byAlias.resource("VIA_ALIAS")
                .file("a.txt")
                .upload(Flux.just(ByteBuffer.wrap(b)), b.length, UploadOptions.defaults())
                .block();
        assertThat(c.project("GAPS")
                        .resource("VIA_ALIAS")
                        .files()
                        .map(FileEntry::path)
                        .collectList()
                        .block())
                .containsExactly("a.txt");
    }

    @Test
    void sharingTakesAnAliasOfTheOtherProject() {
        SubjectRef s = c.project("GAPS").subject("ALIAS_SHARED");
        s.create().block();

        s.share("AWAY_ALIAS", "FROM_GAPS", false).block();
        assertThat(s.shares().collectList().block())
                .containsExactly(new Share("GAPS", "ALIAS_SHARED", true), new Share("AWAY", "FROM_GAPS", false));
        assertThat(c.project("AWAY_ALIAS").subject("FROM_GAPS").get().block().id())
                .isEqualTo(s.get().block().id());
        // the project's own alias is the project itself
        assertThatThrownBy(() -> s.share("GAPS_ALIAS").block()).isInstanceOf(XnatConflictException.class);
        s.unshare("AWAY_ALIAS").block();
        assertThat(s.shares().map(Share::project).collectList().block()).containsExactly("GAPS");
        assertThatThrownBy(() -> s.share("NO_SUCH_PROJECT").block()).isInstanceOf(XnatNotFoundException.class);

        // a scan is shared with its session, which goes first (XNAT's ScanResource)
        ExperimentRef e = s.experiment("ALIAS_MR");
        e.create("xnat:mrSessionData", Map.of()).block();
        e.scan("1").create("xnat:mrScanData", Map.of()).block();
        e.scan("1").share("AWAY_ALIAS").block();
        assertThat(e.shares().map(Share::project).collectList().block()).containsExactly("GAPS", "AWAY");
        assertThatThrownBy(() -> e.scan("1").share("AWAY").block()).isInstanceOf(XnatConflictException.class);
        e.unshare("AWAY").block();

        // where the server takes IDs only, the client sends the alias's project ID after the 404
        assertThatThrownBy(() -> c.request(XnatRequest.put(s.path() + "/projects/AWAY_BY_ID_ONLY"))
                        .discard()
                        .block())
                .isInstanceOf(XnatNotFoundException.class);
        s.share("AWAY_BY_ID_ONLY", "BY_ID", false).block();
        assertThat(s.shares().collectList().block()).contains(new Share("AWAY", "BY_ID", false));
        s.unshare("AWAY").block();
    }
}
