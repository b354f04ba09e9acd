package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The application starts on the starter alone, answers from XNAT, and its health and metrics endpoints report. */
class ProjectsApplicationTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "Consumer-Pw9").seed(SeedSpec.parse("DEMO:1x1x1x1x1K")));

    @Test
    void startsAnswersAndReports(XnatTestServer server) throws Exception {
        try (ConfigurableApplicationContext app = SpringApplication.run(
                ProjectsApplication.class,
                "--server.port=0",
                "--xnat.url=" + server.baseUrl(),
                "--xnat.user=admin",
                "--xnat.password=Consumer-Pw9",
                "--management.endpoints.web.exposure.include=health,metrics",
                "--management.endpoint.health.show-details=always")) {
            String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> projects = get(base + "/projects");
            assertEquals(200, projects.statusCode());
            assertEquals("DEMO", projects.body().strip(), projects.body());

            HttpResponse<String> health = get(base + "/actuator/health");
            assertEquals(200, health.statusCode(), health.body());
            JsonNode xnatHealth = JsonMapper.builder().build().readTree(health.body()).at("/components/xnat");
            assertEquals("UP", xnatHealth.at("/status").asString(), health.body());
            assertTrue(!health.body().contains("Consumer-Pw9"), health.body());

            HttpResponse<String> timers = get(base + "/actuator/metrics/xnat.client.requests");
            assertEquals(200, timers.statusCode(), timers.body());
            assertTrue(timers.body().contains("\"COUNT\""), timers.body());
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
