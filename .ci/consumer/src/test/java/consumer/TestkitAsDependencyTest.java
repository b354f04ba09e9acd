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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit's JUnit 5 extension serves a seeded project to a plain HTTP client, from the installed jars only. */
class TestkitAsDependencyTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x1x1x1K")));

    @Test
    void listsTheSeededProject(XnatTestServer server) throws Exception {
        HttpResponse<String> r = projects(server, "admin:admin");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"DEMO\""), r.body());
    }

    @Test
    void refusesAWrongPassword(XnatTestServer server) throws Exception {
        assertEquals(401, projects(server, "admin:wrong").statusCode());
    }

    private static HttpResponse<String> projects(XnatTestServer server, String userAndPassword) throws Exception {
        String basic = Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/data/projects?format=json"))
                                .header("Authorization", "Basic " + basic)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
