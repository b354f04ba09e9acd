package io.github.xnatreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.micrometer.internal.PathTemplates;
import org.junit.jupiter.api.Test;

/** Raw paths become bounded templates; the client's own templates stay as they are. */
class PathTemplatesTest {
    @Test
    void rawPathsLoseTheirIdsAndLabels() {
        assertThat(PathTemplates.of("/data/projects/{project}/subjects"))
                .isEqualTo("/data/projects/{project}/subjects");
        assertThat(PathTemplates.of("/data/projects/P1/subjects/S1/experiments/E1?format=json"))
                .isEqualTo("/data/projects/{project}/subjects/{subject}/experiments/{experiment}");
        assertThat(PathTemplates.of("/data/experiments/XNAT_E0001/scans/1/resources/DICOM/files/a/b/1.dcm"))
                .isEqualTo("/data/experiments/{experiment}/scans/{scan}/resources/{resource}/files/{path}");
        assertThat(PathTemplates.of("/data/projects/P1/prearchive_code"))
                .isEqualTo("/data/projects/{project}/prearchive_code");
        assertThat(PathTemplates.of("/data/JSESSION")).isEqualTo("/data/JSESSION");
        assertThat(PathTemplates.of("/xapi/siteConfig/buildInfo")).isEqualTo("/xapi/siteConfig/buildInfo");
        assertThat(PathTemplates.of("/xapi/users/alice/roles")).isEqualTo("/xapi/users/{user}/roles");
        assertThat(PathTemplates.of("/data/prearchive/projects/P1/20240101_120000/MR"))
                .isEqualTo("/data/prearchive/projects/{project}/{id}/{id}");
        assertThat(PathTemplates.of("/data/archive/projects/P1/subjects/S1"))
                .isEqualTo("/data/archive/projects/{project}/subjects/{subject}");
        assertThat(PathTemplates.of("/a/b/c/LABEL/MORE")).isEqualTo("/a/b/c/{id}/{id}");
    }
}
