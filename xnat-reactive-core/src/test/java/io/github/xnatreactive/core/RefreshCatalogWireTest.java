package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The catalog refresh sends what XNAT's service reads: the archive path of the object and repeated options. */
class RefreshCatalogWireTest {
    @Test
    void refreshSendsTheArchivePathAndEachOption() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (StubServer stub = new StubServer((req, res) -> {
                    seen.add(req.method().name() + " " + req.uri());
                    return req.receive().then(res.status(200).send());
                });
                XnatClient c = XnatClient.builder()
                        .serverUrl(stub.baseUrl())
                        .credentials(Credentials.password("admin", "admin"))
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            ExperimentRef e = c.project("P1").subject("S1").experiment("E1");
            e.scan("1")
                    .resource("DICOM")
                    .refreshCatalog(RefreshOptions.none().checksum(true).populateStats(true))
                    .block();
            e.refreshCatalog(RefreshOptions.all()).block();
            e.scan("1").refreshCatalog(RefreshOptions.none()).block();
            assertThat(seen)
                    .containsExactly(
                            "POST /data/services/refresh/catalog?resource=/archive/projects/P1/subjects/S1"
                                    + "/experiments/E1/scans/1/resources/DICOM&options=checksum"
                                    + "&options=populateStats",
                            "POST /data/services/refresh/catalog?resource=/archive/projects/P1/subjects/S1"
                                    + "/experiments/E1&options=checksum&options=delete&options=append"
                                    + "&options=populateStats",
                            "POST /data/services/refresh/catalog?resource=/archive/projects/P1/subjects/S1"
                                    + "/experiments/E1/scans/1");
        }
    }
}
