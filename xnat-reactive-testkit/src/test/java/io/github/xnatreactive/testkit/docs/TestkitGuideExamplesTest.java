package io.github.xnatreactive.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/guide/testkit.md (checked against the guide by the core module's DocSnippetsTest). */
class TestkitGuideExamplesTest {
    // doc:extension
    @ExtendWith(XnatTestServerExtension.class)
    static class ListingTest {
        @Test
        void listsProjects(XnatTestServer xnat) {
            String url = xnat.baseUrl(); // http://127.0.0.1:<port>
            String user = xnat.adminUser(); // "admin"
            String password = xnat.adminPassword(); // "admin"
            // ... point your client at url
        }
    }
    // end

    @Nested
    class Configured {
        // doc:configured
        @RegisterExtension
        static XnatTestServerExtension xnat = new XnatTestServerExtension(b -> b.user("admin", "s3cret") // site admin
                .user("alice", "alicepw") // later users: ordinary users
                .seed(SeedSpec.parse("DEMO:2x2x3x10x64K")) // a synthetic project
                .faults(FaultSpec.parse("unavailable=0.05,retry-after=1,seed=7")));
        // end

        @Test
        void isConfigured() {
            XnatTestServer server = xnat.server();
            assertThat(server.adminPassword()).isEqualTo("s3cret");
            assertThat(server.password("alice")).isEqualTo("alicepw");
        }
    }

    @Test
    void fromCode(@TempDir Path tmp) {
        Path dataDir = tmp.resolve("xnat-data");
        // doc:code
        try (XnatTestServer xnat = XnatTestServer.builder()
                .user("admin", "admin")
                .port(0) // 0 = a free port (the default)
                .dataDir(dataDir) // default: a temp dir, deleted on close()
                .sessionTimeout(Duration.ofMinutes(15)) // idle session timeout, XNAT's default
                .seed(SeedSpec.parse("DEMO:1x2x4x10x4K"))
                .start()) {
            System.out.println(xnat.baseUrl());
            xnat.faults(FaultSpec.parse("drop=0.05,drop-after=16K")); // change faults while running
            xnat.expireSessions(); // invalidate every server session now
            long n = xnat.injectedFaults();
        }
        // end
        assertThat(dataDir.resolve("archive")).isDirectory();
    }

    @Test
    void routesOfYourOwn() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        // doc:routes
        XnatTestServer xnat = XnatTestServer.builder()
                .seed(SeedSpec.parse("DEMO:1x1x1x2x4K"))
                // a route the testkit does not have
                .route(
                        "GET",
                        "/data/projects/{project}/custom",
                        req -> RouteResponse.text(200, "text/plain", "custom " + req.pathVariable("project")))
                // the first project listing fails, later ones are the built-in answer
                .route(
                        "GET",
                        "/data/projects",
                        req -> req.callCount() == 1
                                ? RouteResponse.error(503, "Service temporarily unavailable")
                                : RouteResponse.proceed())
                // injected faults limited to one route pattern
                .faults(FaultSpec.parse("archive-drop=1,archive-drop-after=4K,route=/data/experiments/{e}/**"))
                .start();
        xnat.route("DELETE", "/data/projects/{project}", req -> RouteResponse.disconnect()); // while running
        // end
        try (xnat) {
            java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
                try {
                    return client.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(xnat.baseUrl() + path))
                                    .header(
                                            "Authorization",
                                            "Basic "
                                                    + java.util.Base64.getEncoder()
                                                            .encodeToString("admin:admin".getBytes()))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(get.apply("/data/projects/DEMO/custom").body()).isEqualTo("custom DEMO");
            assertThat(get.apply("/data/projects?format=json").statusCode()).isEqualTo(503);
            assertThat(get.apply("/data/projects?format=json").statusCode()).isEqualTo(200);
            assertThat(get.apply("/data/projects/DEMO?format=json").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void theExtensionExampleRuns() {
        ListingTest t = new ListingTest();
        try (XnatTestServer server = XnatTestServer.builder().start()) {
            t.listsProjects(server);
            assertThat(server.adminUser()).isEqualTo("admin");
        }
    }
}
