package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The route table: 501 for what XNAT has and the testkit does not, 405 and 404, and routes a test adds. */
class RoutesTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.seed(SeedSpec.parse("RT:1x1x1x2x1K")));

    private static final String SCAN = "/data/projects/RT/subjects/RT_S001/experiments/RT_S001_MR1/scans/1";

    private static void assertRestletPage(HttpResponse<byte[]> r, int status) {
        assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(TestHttp.text(r)).contains("<title>Status page</title>").contains("<h3>");
    }

    @Test
    void routesXnatHasButTheTestkitDoesNotAnswer501WithARestletPageUnderEveryPrefix() {
        TestHttp http = new TestHttp(xnat.server());
        for (String path : List.of(
                "/data/prearchive/projects/RT/20240101_000000000/S1/dicom",
                "/REST/investigators",
                "/data/investigators",
                "/data/config/tool/path",
                "/data/services/mail/send",
                "/REST/services/anonymize",
                "/data/archive/workflows",
                "/xapi/dicomscp",
                "/xapi/siteConfig",
                "/xapi/archive/catalogs/refresh",
                "/data/projects/RT/pipelines",
                SCAN + "/projects",
                SCAN + "/status")) {
            assertRestletPage(http.get(path), 501);
        }
        // what is implemented under the same prefixes still answers
        assertThat(http.get("/xapi/siteConfig/buildInfo").statusCode()).isEqualTo(200);
        assertThat(http.get("/REST/projects/RT/subjects/RT_S001?format=json").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aPathOfNoRouteIs404AndAnUnlistedMethodIs405() {
        TestHttp http = new TestHttp(xnat.server());
        assertRestletPage(http.get("/data/nothing-here"), 404);
        assertRestletPage(http.get("/data/version"), 404);
        assertRestletPage(http.put("/data/projects?x=1"), 405);
        assertRestletPage(http.post(SCAN + "/resources", "text/plain", new byte[] {1}), 405);
        assertRestletPage(http.get(SCAN + "/bogus"), 400);
        assertRestletPage(http.get(SCAN + "/resources/DICOM/bogus"), 400);
    }

    @Test
    void aTestAddsARouteAndFailsAnotherOnItsFirstCallOnly() {
        try (XnatTestServer server = XnatTestServer.builder()
                .seed(SeedSpec.parse("U:1x1x1x1x1K"))
                .route("GET", "/data/projects/{project}/custom", req -> RouteResponse.text(
                                200,
                                "text/plain",
                                req.pathVariable("project") + " " + req.queryParameter("q") + " " + req.user())
                        .header("X-Custom", "yes"))
                .route(
                        "GET,HEAD",
                        "/data/projects",
                        req -> req.callCount() == 1 ? RouteResponse.error(503, "busy") : RouteResponse.proceed())
                .start()) {
            TestHttp http = new TestHttp(server);
            HttpResponse<byte[]> custom = http.get("/REST/projects/U/custom?q=1");
            assertThat(custom.statusCode()).isEqualTo(200);
            assertThat(TestHttp.text(custom)).isEqualTo("U 1 admin");
            assertThat(custom.headers().firstValue("X-Custom")).hasValue("yes");

            assertRestletPage(http.get("/data/projects?format=json"), 503);
            HttpResponse<byte[]> second = http.get("/data/projects?format=json");
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(TestHttp.rows(second)).hasSize(1);
            // only that route: the project itself is untouched
            assertThat(http.get("/data/projects/U?format=json").statusCode()).isEqualTo(200);
            // user routes are authenticated like every other
            assertThat(new TestHttp(server.baseUrl(), null, null, false)
                            .get("/data/projects/U/custom")
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void aRouteAddedWhileRunningOverridesTheBuiltInOneAndCanDropTheConnection() {
        try (XnatTestServer server =
                XnatTestServer.builder().seed(SeedSpec.parse("W:1x1x1x1x1K")).start()) {
            TestHttp http = new TestHttp(server);
            String body = "{\"ResultSet\":{\"Result\":[]}}";
            server.route("GET", "/data/projects", req -> RouteResponse.text(200, "application/json", body));
            assertThat(TestHttp.text(http.get("/data/projects?format=json"))).isEqualTo(body);
            server.route("PUT", "/data/projects/{project}", req -> RouteResponse.disconnect());
            assertThatThrownBy(() -> http.put("/data/projects/NEW")).isInstanceOf(UncheckedIOException.class);
            server.route(
                    "POST", "/data/projects/{project}/echo", req -> RouteResponse.bytes(201, "text/plain", req.body()));
            HttpResponse<byte[]> echo =
                    http.post("/data/projects/W/echo", "text/plain", "hi".getBytes(StandardCharsets.UTF_8));
            assertThat(echo.statusCode()).isEqualTo(201);
            assertThat(TestHttp.text(echo)).isEqualTo("hi");
        }
    }

    @Test
    void aFaultLimitedToARouteLeavesTheOthersAlone() {
        try (XnatTestServer server = XnatTestServer.builder()
                .seed(SeedSpec.parse("V:1x1x1x1x1K"))
                .faults(FaultSpec.parse("error=1.0,route=/data/projects/{project}/subjects"))
                .start()) {
            TestHttp http = new TestHttp(server);
            assertRestletPage(http.get("/REST/projects/V/subjects?format=json"), 500);
            assertThat(http.get("/data/projects/V?format=json").statusCode()).isEqualTo(200);
            assertThat(http.get("/data/projects/V/subjects/V_S001?format=json").statusCode())
                    .isEqualTo(200);
            assertThat(server.injectedFaults()).isEqualTo(1);
        }
    }

    @Test
    void badRoutesAreRefusedWhenAdded() {
        assertThatThrownBy(() -> XnatTestServer.builder().route("GET", "data/x", req -> RouteResponse.status(200)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XnatTestServer.builder().route("G ET", "/data/x", req -> RouteResponse.status(200)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XnatTestServer.builder().route("GET", "/data/**/x", req -> RouteResponse.status(200)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteResponse.status(700)).isInstanceOf(IllegalArgumentException.class);
    }
}
