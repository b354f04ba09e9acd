package io.github.xnatreactive.testkit;

import static io.github.xnatreactive.testkit.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Authentication, sessions and permissions (contract sections 6, 9 and 10). */
class AuthTest {
    private static final Pattern SESSION_ID = Pattern.compile("[0-9A-F]{32}");
    private static final Pattern EXPIRATION = Pattern.compile("SESSION_EXPIRATION_TIME=\"?(\\d+),(\\d+)\"?(;.*)?");
    private static final long TIMEOUT = Duration.ofMinutes(15).toMillis();

    private static final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private static XnatTestServer server;
    private static TestHttp admin;
    private static TestHttp alice;
    private static String privateExperimentId;

    @BeforeAll
    static void start() {
        server = XnatTestServer.builder()
                .user("admin", "admin")
                .user("alice", "wonderland")
                .clock(clock::get)
                .start();
        admin = new TestHttp(server);
        alice = new TestHttp(server.baseUrl(), "alice", "wonderland", false);
        for (String[] p : new String[][] {{"PRIV", "private"}, {"PROT", "protected"}, {"PUB", "public"}}) {
            assertThat(admin.put("/data/projects/" + p[0] + "?accessibility=" + p[1])
                            .statusCode())
                    .isEqualTo(200);
            assertThat(admin.put("/data/projects/" + p[0] + "/subjects/S1").statusCode())
                    .isEqualTo(201);
        }
        HttpResponse<byte[]> e = admin.put("/data/projects/PRIV/subjects/S1/experiments/E1?xsiType=xnat:mrSessionData");
        assertThat(e.statusCode()).isEqualTo(201);
        privateExperimentId = text(e);
        assertThat(admin.put("/data/projects/PUB/subjects/S1/experiments/E1?xsiType=xnat:mrSessionData")
                        .statusCode())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestHttp anonymous() {
        return new TestHttp(server.baseUrl(), null, null, false);
    }

    /** A request that authenticates with the session cookie only. */
    private static HttpResponse<byte[]> withCookie(String session, String method, String path) {
        HttpRequest.Builder b = anonymous().request(path).header("Cookie", "JSESSIONID=" + session);
        b.method(method, HttpRequest.BodyPublishers.noBody());
        return anonymous().send(b);
    }

    private static List<String> setCookies(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie");
    }

    private static String cookieValue(HttpResponse<?> r, String name) {
        for (String c : setCookies(r)) {
            if (c.startsWith(name + "=")) {
                int end = c.indexOf(';');
                return c.substring(name.length() + 1, end < 0 ? c.length() : end);
            }
        }
        return null;
    }

    private static String login() {
        HttpResponse<byte[]> r = admin.get("/data/JSESSION");
        assertThat(r.statusCode()).isEqualTo(200);
        return text(r);
    }

    private static String h3(HttpResponse<byte[]> r) {
        Matcher m = Pattern.compile("<h3>(.*?)</h3>").matcher(text(r));
        assertThat(m.find()).as("an <h3> in %s", text(r)).isTrue();
        return m.group(1);
    }

    @Test
    void basicAuthWorksOnAnyRequestAndOpensASession() {
        HttpResponse<byte[]> r = admin.get("/data/projects?format=json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestHttp.rows(r)).extracting(p -> p.get("ID").asString()).contains("PRIV", "PROT", "PUB");
        assertThat(cookieValue(r, "JSESSIONID")).matches(SESSION_ID);
        assertThat(setCookies(r)).anyMatch(c -> c.startsWith("JSESSIONID=") && c.contains("HttpOnly"));
        assertThat(cookieValue(r, "SESSION_EXPIRATION_TIME")).isNotNull();

        HttpResponse<byte[]> subjects = admin.get("/REST/projects/PUB/subjects?format=json");
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(TestHttp.rows(subjects)).hasSize(1);
    }

    @Test
    void jsessionGetAndPostReturnTheSessionIdAndSetBothCookies() {
        for (String method : List.of("GET", "POST")) {
            HttpResponse<byte[]> r =
                    admin.send(admin.request("/data/JSESSION").method(method, HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).as(method).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
            String id = text(r);
            assertThat(id).as(method).matches(SESSION_ID);
            assertThat(cookieValue(r, "JSESSIONID")).isEqualTo(id);
            String expiration = setCookies(r).stream()
                    .filter(c -> c.startsWith("SESSION_EXPIRATION_TIME="))
                    .findFirst()
                    .orElseThrow();
            Matcher m = EXPIRATION.matcher(expiration);
            assertThat(m.matches()).as(expiration).isTrue();
            assertThat(Long.parseLong(m.group(1))).isEqualTo(clock.get());
            assertThat(Long.parseLong(m.group(2))).isEqualTo(TIMEOUT);
        }
    }

    @Test
    void cookieOnlyRequestWorksAndDeleteJsessionInvalidatesIt() {
        String session = login();
        HttpResponse<byte[]> r = withCookie(session, "GET", "/data/projects?format=json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestHttp.rows(r)).isNotEmpty();
        // a cookie-only request refreshes the expiration cookie but keeps the session
        assertThat(cookieValue(r, "SESSION_EXPIRATION_TIME")).isNotNull();
        assertThat(cookieValue(r, "JSESSIONID")).isNull();
        assertThat(text(withCookie(session, "GET", "/data/auth"))).isEqualTo("User 'admin' is logged in");

        HttpResponse<byte[]> bye = withCookie(session, "DELETE", "/data/JSESSION");
        assertThat(bye.statusCode()).isEqualTo(200);
        assertThat(bye.body()).isEmpty();

        HttpResponse<byte[]> after = withCookie(session, "GET", "/data/projects?format=json");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void authEndpointNamesTheUser() {
        HttpResponse<byte[]> r = alice.get("/data/auth");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("User 'alice' is logged in");
        assertThat(anonymous().get("/data/auth").statusCode()).isEqualTo(401);
    }

    @Test
    void formLoginOnServicesAuthReturnsASessionForPutAndPost() {
        for (String method : List.of("PUT", "POST")) {
            HttpRequest.Builder b = anonymous()
                    .request("/data/services/auth")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofString(
                                    "username=alice&password=wonderland", StandardCharsets.UTF_8));
            HttpResponse<byte[]> r = anonymous().send(b);
            assertThat(r.statusCode()).as(method).isEqualTo(200);
            String id = text(r);
            assertThat(id).matches(SESSION_ID);
            assertThat(cookieValue(r, "JSESSIONID")).isEqualTo(id);
            assertThat(text(withCookie(id, "GET", "/data/auth"))).isEqualTo("User 'alice' is logged in");
        }
        HttpRequest.Builder wrong = anonymous()
                .request("/data/services/auth")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("username=alice&password=nope"));
        HttpResponse<byte[]> denied = anonymous().send(wrong);
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(cookieValue(denied, "JSESSIONID")).isNull();
    }

    @Test
    void wrongBasicCredentialsGetTomcatPageWithoutChallenge() {
        TestHttp wrong = new TestHttp(server.baseUrl(), "admin", "wrong", false);
        for (String path : List.of("/data/projects", "/data/JSESSION", "/data/projects/PUB")) {
            HttpResponse<byte[]> r = wrong.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).isEmpty();
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
            assertThat(text(r)).contains("HTTP Status 401").contains("Unauthorized");
            assertThat(cookieValue(r, "JSESSIONID")).isNull();
        }
        TestHttp unknown = new TestHttp(server.baseUrl(), "nobody", "x", false);
        assertThat(unknown.get("/data/projects").statusCode()).isEqualTo(401);
    }

    @Test
    void noCredentialsFromAProgramGetsBasicChallenge() {
        for (String path : List.of("/data/projects", "/data/JSESSION", "/REST/projects/PUB/subjects")) {
            HttpResponse<byte[]> r = anonymous().get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).matches("Basic realm=\".+\""));
            assertThat(text(r)).contains("401");
        }
    }

    @Test
    void noCredentialsFromABrowserRedirectsToTheLoginPage() {
        HttpResponse<byte[]> r = anonymous()
                .send(anonymous()
                        .request("/data/projects")
                        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36")
                        .GET());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location"))
                .hasValueSatisfying(
                        l -> assertThat(l).startsWith(server.baseUrl()).containsIgnoringCase("login"));
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void sessionsExpireAfterTheIdleTimeoutNotBefore() {
        String session = login();
        // activity keeps it alive: idle gaps just under the timeout, twice
        clock.addAndGet(TIMEOUT - 1000);
        assertThat(withCookie(session, "GET", "/data/auth").statusCode()).isEqualTo(200);
        clock.addAndGet(TIMEOUT - 1000);
        HttpResponse<byte[]> alive = withCookie(session, "GET", "/data/auth");
        assertThat(alive.statusCode()).isEqualTo(200);
        Matcher m = EXPIRATION.matcher("SESSION_EXPIRATION_TIME=" + cookieValue(alive, "SESSION_EXPIRATION_TIME"));
        assertThat(m.matches()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(clock.get());

        clock.addAndGet(TIMEOUT + 1);
        HttpResponse<byte[]> expired = withCookie(session, "GET", "/data/projects?format=json");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate")).isPresent();
        // Basic credentials still work and open a new session
        HttpResponse<byte[]> again = admin.get("/data/JSESSION");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(text(again)).matches(SESSION_ID).isNotEqualTo(session);
    }

    @Test
    void expireSessionsInvalidatesEverySession() {
        String a = login();
        String b = text(alice.get("/data/JSESSION"));
        assertThat(server.sessionCount()).isGreaterThanOrEqualTo(2);
        server.expireSessions();
        assertThat(server.sessionCount()).isZero();
        assertThat(withCookie(a, "GET", "/data/auth").statusCode()).isEqualTo(401);
        assertThat(withCookie(b, "GET", "/data/auth").statusCode()).isEqualTo(401);
    }

    @Test
    void privateProjectOfAnotherUserIsInvisible() {
        JsonNode listing = TestHttp.json(alice.get("/data/projects?format=json"));
        assertThat(listing.path("ResultSet").path("Result").valueStream().map(p -> p.get("ID")
                        .asString()))
                .contains("PROT", "PUB")
                .doesNotContain("PRIV");
        for (String path : List.of(
                "/data/projects/PRIV?format=xml",
                "/data/projects/PRIV/subjects?format=json",
                "/data/projects/PRIV/subjects/S1?format=json",
                "/data/projects/PRIV/experiments?format=json",
                "/data/projects/PRIV/subjects/S1/experiments/E1?format=json",
                "/data/projects/PRIV/accessibility",
                "/data/experiments/" + privateExperimentId + "?format=json")) {
            HttpResponse<byte[]> r = alice.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        }
        // the global listings leave it out too
        assertThat(TestHttp.rows(alice.get("/data/experiments?format=json")))
                .extracting(e -> e.get("project").asString())
                .doesNotContain("PRIV");
        assertThat(TestHttp.rows(alice.get("/data/subjects?format=json")))
                .extracting(e -> e.get("project").asString())
                .doesNotContain("PRIV", "PROT")
                .contains("PUB");
        // the owner (here the admin) sees it
        assertThat(admin.get("/data/projects/PRIV/subjects/S1?format=json").statusCode())
                .isEqualTo(200);
    }

    @Test
    void protectedProjectRecordIsVisibleButItsDataIsForbidden() {
        HttpResponse<byte[]> record = alice.get("/data/projects/PROT?format=json");
        assertThat(record.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(record)
                        .path("items")
                        .path(0)
                        .path("data_fields")
                        .path("ID")
                        .asString())
                .isEqualTo("PROT");
        HttpResponse<byte[]> access = alice.get("/data/projects/PROT/accessibility");
        assertThat(access.statusCode()).isEqualTo(200);
        assertThat(text(access)).isEqualTo("protected");
        for (String path : List.of(
                "/data/projects/PROT/subjects?format=json",
                "/data/projects/PROT/subjects/S1?format=json",
                "/data/projects/PROT/experiments?format=json")) {
            HttpResponse<byte[]> r = alice.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(h3(r)).contains("Unable to read").contains("PROT");
        }
    }

    @Test
    void publicProjectIsReadable() {
        List<JsonNode> subjects = TestHttp.rows(alice.get("/data/projects/PUB/subjects?format=json"));
        assertThat(subjects).extracting(s -> s.get("label").asString()).containsExactly("S1");
        HttpResponse<byte[]> e = alice.get("/data/projects/PUB/subjects/S1/experiments/E1?format=json");
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(e)
                        .path("items")
                        .path(0)
                        .path("data_fields")
                        .path("label")
                        .asString())
                .isEqualTo("E1");
    }

    @Test
    void nonOwnersCannotModifyOrDelete() {
        for (String path : List.of(
                "/data/projects/PUB?description=hacked",
                "/data/projects/PUB/subjects/S2",
                "/data/projects/PUB/subjects/S1?gender=female",
                "/data/projects/PUB/subjects/S1/experiments/E2?xsiType=xnat:mrSessionData",
                "/data/projects/PUB/accessibility/private")) {
            HttpResponse<byte[]> r = alice.put(path);
            assertThat(r.statusCode()).as("PUT " + path).isEqualTo(403);
        }
        for (String path : List.of(
                "/data/projects/PUB",
                "/data/projects/PUB/subjects/S1",
                "/data/projects/PUB/subjects/S1/experiments/E1")) {
            HttpResponse<byte[]> r = alice.delete(path);
            assertThat(r.statusCode()).as("DELETE " + path).isEqualTo(403);
        }
        // nothing changed
        assertThat(TestHttp.rows(admin.get("/data/projects/PUB/subjects?format=json")))
                .extracting(s -> s.get("label").asString())
                .containsExactly("S1");
        assertThat(text(admin.get("/data/projects/PUB/accessibility"))).isEqualTo("public");
        // an invisible project looks missing: DELETE of a missing project is a 400 (contract 4.4)
        assertThat(alice.delete("/data/projects/PRIV").statusCode()).isEqualTo(400);
        assertThat(admin.get("/data/projects/PRIV?format=json").statusCode()).isEqualTo(200);
    }

    @Test
    void ordinaryUsersOwnTheProjectsTheyCreate() {
        assertThat(alice.put("/data/projects/ALICE1").statusCode()).isEqualTo(200);
        assertThat(alice.put("/data/projects/ALICE1/subjects/A").statusCode()).isEqualTo(201);
        assertThat(alice.get("/data/projects/ALICE1/subjects/A?format=json").statusCode())
                .isEqualTo(200);
        // the site administrator can read it, the private default hides it from nobody else here
        assertThat(admin.get("/data/projects/ALICE1/subjects/A?format=json").statusCode())
                .isEqualTo(200);
        assertThat(alice.delete("/data/projects/ALICE1").statusCode()).isEqualTo(200);
        assertThat(alice.get("/data/projects/ALICE1?format=json").statusCode()).isEqualTo(404);
    }

    @Test
    void versionIsAbsentAndBuildInfoIsOpen() {
        HttpResponse<byte[]> version = admin.get("/data/version");
        assertThat(version.statusCode()).isEqualTo(404);
        HttpResponse<byte[]> info = anonymous().get("/xapi/siteConfig/buildInfo");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode json = TestHttp.json(info);
        assertThat(json.get("version").isString()).isTrue();
        assertThat(json.get("version").asString()).matches("\\d+\\.\\d+.*");
        assertThat(json.get("buildNumber").isString()).isTrue();
        // other XAPI endpoints are not open
        assertThat(anonymous().get("/xapi/siteConfig/siteId").statusCode()).isEqualTo(401);
    }
}
