package io.github.xnatreactive.testkit;

import static io.github.xnatreactive.testkit.TestHttp.rows;
import static io.github.xnatreactive.testkit.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Sharing subjects, experiments and assessors into other projects (contract section 4.3). */
class SharingTest {
    private static XnatTestServer server;
    private static TestHttp admin;
    private static TestHttp bob;

    @BeforeAll
    static void start() {
        server = XnatTestServer.builder()
                .user("admin", "admin")
                .user("bob", "bobpw")
                .start();
        admin = new TestHttp(server);
        bob = new TestHttp(server.baseUrl(), "bob", "bobpw", false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> labels(HttpResponse<byte[]> r) {
        return rows(r).stream().map(n -> n.path("label").asString()).toList();
    }

    /** Project {@code p1} with subject S1, session E1 and assessor QC1; project {@code p2} owned by bob. */
    private static void projects(String p1, String p2) {
        assertThat(admin.put("/data/projects/" + p1).statusCode()).isEqualTo(200);
        assertThat(admin.put("/data/projects/" + p1 + "/subjects/S1/experiments/E1?xsiType=xnat:mrSessionData")
                        .statusCode())
                .isEqualTo(201);
        assertThat(admin.put("/data/projects/" + p1
                                + "/subjects/S1/experiments/E1/assessors/QC1?xsiType=xnat:qcManualAssessorData")
                        .statusCode())
                .isEqualTo(201);
        assertThat(bob.put("/data/projects/" + p2).statusCode()).isEqualTo(200);
        assertThat(bob.put("/data/projects/" + p2 + "/users/member/admin").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aSharedSubjectAndSessionAreListedAndReadInTheOtherProjectUnderItsLabel() {
        projects("SH1", "SH2");
        String s = "/data/projects/SH1/subjects/S1";
        assertThat(admin.put(s + "/projects/SH2?label=B_S1").statusCode()).isEqualTo(200);
        assertThat(admin.put(s + "/experiments/E1/projects/SH2?label=B_E1").statusCode())
                .isEqualTo(200);
        assertThat(labels(bob.get("/data/projects/SH2/subjects?format=json"))).containsExactly("B_S1");
        assertThat(labels(bob.get("/data/projects/SH2/experiments?format=json")))
                .containsExactly("B_E1");
        // a session of the subject that is not shared stays out of SH2's listings
        assertThat(admin.put(s + "/experiments/E2?xsiType=xnat:mrSessionData").statusCode())
                .isEqualTo(201);
        assertThat(labels(bob.get("/data/projects/SH2/subjects/B_S1/experiments?format=json")))
                .containsExactly("B_E1");
        assertThat(labels(admin.get(s + "/experiments?format=json"))).containsExactly("E1", "E2");
        // bob reads them through SH2 (he is no member of the private SH1)
        assertThat(bob.get("/data/projects/SH2/subjects/B_S1?format=json").statusCode())
                .isEqualTo(200);
        assertThat(bob.get("/data/projects/SH2/subjects/B_S1/experiments/B_E1?format=json")
                        .statusCode())
                .isEqualTo(200);
        assertThat(bob.get("/data/projects/SH1/subjects/S1?format=json").statusCode())
                .isEqualTo(404);
        assertThat(bob.get(s.replace("SH1", "SH2").replace("S1", "B_S1") + "/projects?format=json")
                        .statusCode())
                .isEqualTo(200);
        List<JsonNode> shares = rows(admin.get(s + "/projects?format=json"));
        assertThat(shares)
                .extracting(n -> n.path("ID").asString() + "/" + n.path("label").asString() + "/"
                        + n.path("primary").asString())
                .containsExactly("SH1/S1/true", "SH2/B_S1/false");
        // changes to shared data go through its own project
        assertThat(bob.put("/data/projects/SH2/subjects/B_S1?gender=male").statusCode())
                .isEqualTo(403);
    }

    @Test
    void xnatsRulesAlreadyAssignedLabelInUseUnknownProjectNoRights() {
        projects("R1", "R2");
        String s = "/data/projects/R1/subjects/S1";
        assertThat(text(admin.put(s + "/projects/R1"))).contains("Already assigned to project:R1");
        assertThat(admin.put(s + "/projects/R2").statusCode()).isEqualTo(200);
        assertThat(text(admin.put(s + "/projects/R2"))).contains("Already assigned to project:R2");
        assertThat(bob.put("/data/projects/R2/subjects/TAKEN").statusCode()).isEqualTo(201);
        assertThat(admin.put("/data/projects/R1/subjects/S2").statusCode()).isEqualTo(201);
        HttpResponse<byte[]> taken = admin.put("/data/projects/R1/subjects/S2/projects/R2?label=TAKEN");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(text(taken)).contains("Label already in use:TAKEN");
        assertThat(admin.put("/data/projects/R1/subjects/S2/projects/NOWHERE").statusCode())
                .isEqualTo(404);
        // bob (not in R1) cannot read the subject; admin's member rights in R2 allow the share
        assertThat(bob.put(s + "/projects/R2").statusCode()).isEqualTo(404);
        assertThat(admin.put("/data/projects/BOBS_ONLY").statusCode()).isEqualTo(200);
        assertThat(admin.put("/data/projects/BOBS_ONLY?accessibility=protected").statusCode())
                .isEqualTo(200);
        TestHttp carol = new TestHttp(server.baseUrl(), "bob", "bobpw", false);
        assertThat(carol.put("/data/projects/R2/subjects/TAKEN/projects/BOBS_ONLY")
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.delete(s + "/projects/R1").statusCode()).isEqualTo(400);
        assertThat(admin.delete("/data/projects/R1/subjects/S2/projects/R2").statusCode())
                .isEqualTo(404);
    }

    @Test
    void deletingThroughTheSharedProjectRemovesOnlyTheShare() {
        projects("D1", "D2");
        String s = "/data/projects/D1/subjects/S1";
        assertThat(admin.put(s + "/projects/D2?label=D2_S1").statusCode()).isEqualTo(200);
        assertThat(admin.put(s + "/experiments/E1/projects/D2").statusCode()).isEqualTo(200);
        assertThat(bob.delete("/data/projects/D2/experiments/E1").statusCode()).isEqualTo(200);
        assertThat(bob.delete("/data/projects/D2/subjects/D2_S1").statusCode()).isEqualTo(200);
        assertThat(labels(bob.get("/data/projects/D2/subjects?format=json"))).isEmpty();
        assertThat(labels(bob.get("/data/projects/D2/experiments?format=json"))).isEmpty();
        assertThat(admin.get(s + "/experiments/E1?format=json").statusCode()).isEqualTo(200);
        assertThat(labels(admin.get("/data/projects/D1/subjects?format=json"))).containsExactly("S1");
        // and deleting the subject in its own project removes its shares with it
        assertThat(admin.put(s + "/projects/D2").statusCode()).isEqualTo(200);
        assertThat(admin.delete(s).statusCode()).isEqualTo(200);
        assertThat(labels(bob.get("/data/projects/D2/subjects?format=json"))).isEmpty();
    }

    @Test
    void primaryMovesOwnershipAndTheOldProjectKeepsAShare() {
        projects("M1", "M2");
        assertThat(admin.put("/data/projects/M1/users/member/bob").statusCode()).isEqualTo(200);
        String s = "/data/projects/M1/subjects/S1";
        // admin is only a member of M2: moving needs ownership of both
        assertThat(bob.put(s + "/projects/M2?primary=true").statusCode()).isEqualTo(403);
        assertThat(bob.put("/data/projects/M2/users/owner/admin").statusCode()).isEqualTo(200);
        assertThat(admin.put(s + "/experiments/E1/projects/M2?primary=true").statusCode())
                .isEqualTo(409);
        assertThat(admin.put(s + "/projects/M2?label=M2_S1&primary=true").statusCode())
                .isEqualTo(200);
        List<JsonNode> shares = rows(admin.get("/data/projects/M2/subjects/M2_S1/projects?format=json"));
        assertThat(shares)
                .extracting(n -> n.path("ID").asString() + "/" + n.path("label").asString() + "/"
                        + n.path("primary").asString())
                .containsExactly("M2/M2_S1/true", "M1/S1/false");
        assertThat(rows(admin.get("/data/projects/M2/subjects?format=json")))
                .extracting(n ->
                        n.path("project").asString() + "/" + n.path("label").asString())
                .containsExactly("M2/M2_S1");
        // the session stays in M1, now under a subject shared into M1; it moves once its subject is in M2
        assertThat(labels(admin.get("/data/projects/M1/experiments?format=json")))
                .containsExactly("E1");
        assertThat(admin.put("/data/projects/M1/experiments/E1/projects/M2?primary=true")
                        .statusCode())
                .isEqualTo(200);
        assertThat(labels(admin.get("/data/projects/M2/experiments?format=json")))
                .containsExactly("E1");
        assertThat(labels(admin.get("/data/projects/M1/experiments?format=json")))
                .containsExactly("E1");
        assertThat(rows(admin.get("/data/projects/M1/experiments?format=json"))
                        .get(0)
                        .path("project")
                        .asString())
                .isEqualTo("M2");
    }

    @Test
    void aSharedSessionsScansAndASharedAssessorAreReadThroughTheOtherProjectByTheirLabelsThere() {
        projects("SC1", "SC2");
        String e = "/data/projects/SC1/subjects/S1/experiments/E1";
        assertThat(admin.put(e + "/scans/1?xsiType=xnat:mrScanData&type=T1w").statusCode())
                .isEqualTo(200);
        assertThat(admin.put(e + "/scans/1/resources/DICOM/files/a.dcm?inbody=true", "text/plain", new byte[] {1, 2})
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.put(e + "/assessors/QC1/out/resources/OUT/files/qc.txt?inbody=true", "text/plain", new byte[] {
                            3
                        })
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.put("/data/projects/SC1/subjects/S1/projects/SC2?label=B_S1")
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.put(e + "/projects/SC2?label=B_E1").statusCode()).isEqualTo(200);
        assertThat(admin.put(e + "/assessors/QC1/projects/SC2?label=B_QC1").statusCode())
                .isEqualTo(200);

        String there = "/data/projects/SC2/subjects/B_S1/experiments/B_E1";
        assertThat(rows(bob.get(there + "/scans?format=json")).stream()
                        .map(n -> n.path("ID").asString()))
                .containsExactly("1");
        assertThat(bob.get(there + "/scans/1/resources/DICOM/files/a.dcm").statusCode())
                .isEqualTo(200);
        assertThat(labels(bob.get(there + "/assessors?format=json"))).containsExactly("B_QC1");
        assertThat(bob.get(there + "/assessors/B_QC1?format=json").statusCode()).isEqualTo(200);
        assertThat(bob.get(there + "/assessors/B_QC1/out/resources/OUT/files/qc.txt")
                        .statusCode())
                .isEqualTo(200);
        assertThat(bob.get(there + "/assessors/B_QC1/files?format=zip").statusCode())
                .isEqualTo(200);
        // its label in its own project does not name it in SC2; in SC1 it keeps that label
        assertThat(bob.get(there + "/assessors/QC1?format=json").statusCode()).isEqualTo(404);
        assertThat(labels(admin.get(e + "/assessors?format=json"))).containsExactly("QC1");
    }

    @Test
    void aScanIsSharedWithItsSessionWhichGoesFirst() {
        projects("SN1", "SN2");
        String e = "/data/projects/SN1/subjects/S1/experiments/E1";
        assertThat(admin.put(e + "/scans/1?xsiType=xnat:mrScanData").statusCode())
                .isEqualTo(200);
        assertThat(admin.put("/data/projects/SN1/subjects/S1/projects/SN2").statusCode())
                .isEqualTo(200);
        assertThat(labels(bob.get("/data/projects/SN2/experiments?format=json")))
                .isEmpty();

        assertThat(admin.put(e + "/scans/1/projects/SN2").statusCode()).isEqualTo(200);
        // the session went along, under its own label
        assertThat(labels(bob.get("/data/projects/SN2/experiments?format=json")))
                .containsExactly("E1");
        assertThat(bob.get("/data/projects/SN2/subjects/S1/experiments/E1/scans/1?format=json")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<byte[]> again = admin.put(e + "/scans/1/projects/SN2");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(TestHttp.text(again)).contains("Already assigned to project: SN2");
        assertThat(admin.put(e + "/scans/1/projects/SN1").statusCode()).isEqualTo(409);
        assertThat(admin.put(e + "/scans/1/projects/NOWHERE").statusCode()).isEqualTo(404);
        assertThat(admin.put(e + "/scans/9/projects/SN2").statusCode()).isEqualTo(404);
        // bob reads the scan through SN2 but may not create in a public project of someone else's
        assertThat(admin.put("/data/projects/SN3?accessibility=public").statusCode())
                .isEqualTo(200);
        assertThat(bob.put("/data/projects/SN2/subjects/S1/experiments/E1/scans/1/projects/SN3")
                        .statusCode())
                .isEqualTo(403);
        assertThat(labels(admin.get("/data/projects/SN3/experiments?format=json")))
                .isEmpty();
    }

    @Test
    void anAssessorIsSharedByItsExperimentUrl() {
        projects("A1", "A2");
        String qc = "/data/projects/A1/subjects/S1/experiments/E1/assessors/QC1";
        assertThat(admin.put(qc + "/projects/A2?label=A2_QC1").statusCode()).isEqualTo(200);
        assertThat(rows(admin.get(qc + "/projects?format=json")))
                .extracting(n -> n.path("ID").asString() + "/" + n.path("label").asString())
                .containsExactly("A1/QC1", "A2/A2_QC1");
        assertThat(admin.delete(qc + "/projects/A2").statusCode()).isEqualTo(200);
        assertThat(rows(admin.get(qc + "/projects?format=json"))).hasSize(1);
    }
}
