package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The catalog refresh against the testkit's {@code POST /data/services/refresh/catalog} (XNAT answers 200 with an
 * empty body when done).
 */
class RefreshCatalogTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x1x1x1K")));

    @Test
    void refreshingAResourceAndASessionSucceeds() {
        try (XnatClient c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build()) {
            ExperimentRef mr = c.project("DEMO").subject("DEMO_S001").experiment("DEMO_S001_MR1");
            ResourceRef dicom = mr.scan("1").resource("DICOM");
            long before = dicom.files().count().block();
            dicom.refreshCatalog(RefreshOptions.all()).block();
            mr.refreshCatalog(RefreshOptions.none().populateStats(true)).block();
            // a refresh of an intact catalog changes nothing
            assertThat(dicom.files().count().block()).isEqualTo(before);
        }
    }
}
