package io.github.xnatreactive.testkit;

import static io.github.xnatreactive.testkit.TestHttp.json;
import static io.github.xnatreactive.testkit.TestHttp.rows;
import static io.github.xnatreactive.testkit.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Users, project groups and alias tokens (contract sections 6.5 and 9). */
class UsersAndTokensTest {
    private static final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private static XnatTestServer server;
    private static TestHttp admin;
    private static TestHttp alice;

    @BeforeAll
    static void start() {
        server = XnatTestServer.builder()
                .user("admin", "admin")
                .user("alice", "alicepw", "Alice", "Liddell", "alice@example.org")
                .user("bob", "bobpw")
                .clock(clock::get)
                .start();
        admin = new TestHttp(server);
        alice = new TestHttp(server.baseUrl(), "alice", "alicepw", false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> column(HttpResponse<byte[]> r, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : rows(r)) {
            out.add(n.path(name).asString());
        }
        return out;
    }

    @Test
    void aUsersProjectGroupsAreListedForThemselvesAndAdministrators() {
        assertThat(alice.put("/data/projects/GRP_A").statusCode()).isEqualTo(200);
        assertThat(admin.put("/data/projects/GRP_B").statusCode()).isEqualTo(200);
        assertThat(admin.put("/data/projects/GRP_B/users/collaborator/alice").statusCode())
                .isEqualTo(200);

        List<String> mine = new ArrayList<>();
        json(alice.get("/xapi/users/alice/groups")).forEach(n -> mine.add(n.asString()));
        assertThat(mine)
                .contains("GRP_A_owner", "GRP_B_collaborator")
                .isSorted()
                .doesNotContain("GRP_B_owner");
        assertThat(text(admin.get("/xapi/users/alice/groups"))).contains("GRP_A_owner");
        // another ordinary user may not read them; an unknown user is 404
        TestHttp bob = new TestHttp(server.baseUrl(), "bob", "bobpw", false);
        assertThat(bob.get("/xapi/users/alice/groups").statusCode()).isEqualTo(403);
        assertThat(admin.get("/xapi/users/nobody/groups").statusCode()).isEqualTo(404);
    }

    @Test
    void administratorsListTheSiteUsersWithNamesEmailAndIdOthersAreRefused() {
        HttpResponse<byte[]> r = admin.get("/data/users?format=json");
        JsonNode a = rows(r).stream()
                .filter(n -> n.path("login").asString().equals("alice"))
                .findFirst()
                .orElseThrow();
        assertThat(a.path("firstname").asString()).isEqualTo("Alice");
        assertThat(a.path("lastname").asString()).isEqualTo("Liddell");
        assertThat(a.path("email").asString()).isEqualTo("alice@example.org");
        assertThat(a.path("xdat_user_id").asString()).isEqualTo("2");
        assertThat(text(admin.get("/data/users?format=csv"))).startsWith("login,firstname,lastname,email");
        assertThat(alice.get("/data/users").statusCode()).isEqualTo(403);
        assertThat(json(admin.get("/xapi/users")))
                .extracting(JsonNode::toString)
                .asString()
                .contains("\"bob\"");
        assertThat(alice.get("/xapi/users").statusCode()).isEqualTo(403);
        JsonNode me = json(alice.get("/xapi/users/alice"));
        assertThat(me.path("username").asString()).isEqualTo("alice");
        assertThat(me.path("enabled").asBoolean()).isTrue();
        assertThat(me.toString()).doesNotContain("alicepw");
        assertThat(alice.get("/xapi/users/bob").statusCode()).isEqualTo(403);
        assertThat(admin.get("/xapi/users/nobody").statusCode()).isEqualTo(404);
    }

    @Test
    void anAdministratorCreatesDisablesAndPromotesAUser() {
        byte[] body = "{\"username\":\"carol\",\"password\":\"carolpw\",\"firstName\":\"Carol\",\"email\":\"c@x.org\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(alice.post("/xapi/users", "application/json", body).statusCode())
                .isEqualTo(403);
        HttpResponse<byte[]> created = admin.post("/xapi/users", "application/json", body);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("firstName").asString()).isEqualTo("Carol");
        assertThat(admin.post("/xapi/users", "application/json", body).statusCode())
                .isEqualTo(409);
        assertThat(admin.post("/xapi/users", "application/json", "{\"username\":".getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(400);
        TestHttp carol = new TestHttp(server.baseUrl(), "carol", "carolpw", false);
        assertThat(carol.get("/data/projects").statusCode()).isEqualTo(200);

        assertThat(alice.put("/xapi/users/carol/enabled/false").statusCode()).isEqualTo(403);
        assertThat(admin.put("/xapi/users/carol/enabled/false").statusCode()).isEqualTo(200);
        assertThat(carol.get("/data/projects").statusCode()).isEqualTo(401);
        assertThat(text(admin.get("/xapi/users/carol/enabled"))).isEqualTo("false");
        assertThat(admin.put("/xapi/users/carol/enabled/true").statusCode()).isEqualTo(200);
        assertThat(carol.get("/data/projects").statusCode()).isEqualTo(200);
        assertThat(admin.put("/xapi/users/carol/verified/false").statusCode()).isEqualTo(200);
        assertThat(json(admin.get("/xapi/users/carol")).path("verified").asBoolean())
                .isFalse();

        assertThat(carol.get("/data/users").statusCode()).isEqualTo(403);
        assertThat(admin.put("/xapi/users/carol/roles", "application/json", "[\"Administrator\"]".getBytes())
                        .statusCode())
                .isEqualTo(200);
        assertThat(text(carol.get("/xapi/users/carol/roles"))).isEqualTo("[\"Administrator\"]");
        assertThat(carol.get("/data/users").statusCode()).isEqualTo(200);
        assertThat(admin.put("/xapi/users/carol/roles", "application/json", "[]".getBytes())
                        .statusCode())
                .isEqualTo(200);
        assertThat(carol.get("/data/users").statusCode()).isEqualTo(403);
    }

    @Test
    void ownersManageTheProjectGroupsByIdDisplayNameOrSuffix() {
        assertThat(alice.put("/data/projects/GRP").statusCode()).isEqualTo(200);
        assertThat(alice.put("/data/projects/GRP/users/Members/bob").statusCode())
                .isEqualTo(200);
        assertThat(rows(alice.get("/data/projects/GRP/users?format=json")))
                .extracting(n -> n.path("GROUP_ID").asString() + " "
                        + n.path("displayname").asString() + " "
                        + n.path("login").asString() + " " + n.path("email").asString())
                .containsExactly("GRP_owner Owners alice alice@example.org", "GRP_member Members bob bob@localhost");
        // a member may not list or change the groups
        TestHttp bob = new TestHttp(server.baseUrl(), "bob", "bobpw", false);
        assertThat(bob.get("/data/projects/GRP/users").statusCode()).isEqualTo(403);
        assertThat(bob.put("/data/projects/GRP/users/owner/bob").statusCode()).isEqualTo(403);
        // moving bob to the collaborators by group ID takes him out of the members
        assertThat(alice.put("/data/projects/GRP/users/GRP_collaborator/bob").statusCode())
                .isEqualTo(200);
        assertThat(column(alice.get("/data/projects/GRP/users"), "displayname"))
                .containsExactly("Owners", "Collaborators");
        assertThat(bob.put("/data/projects/GRP/subjects/S1").statusCode()).isEqualTo(403);
        assertThat(alice.put("/data/projects/GRP/users/friends/bob").statusCode())
                .isEqualTo(404);
        assertThat(alice.put("/data/projects/GRP/users/member/nobody").statusCode())
                .isEqualTo(404);
        assertThat(alice.put("/data/projects/GRP/users/member/guest").statusCode())
                .isEqualTo(412);
        assertThat(alice.delete("/data/projects/GRP/users/collaborator/bob").statusCode())
                .isEqualTo(200);
        assertThat(column(alice.get("/data/projects/GRP/users"), "login")).containsExactly("alice");
        // bob is out: the private project is no longer there for him
        assertThat(bob.get("/data/projects/GRP").statusCode()).isEqualTo(404);
        assertThat(admin.get("/data/projects/NOPE/users").statusCode()).isEqualTo(404);
    }

    @Test
    void accessProjectsListsWhatTheCallerReadsWithTheirGroup() {
        assertThat(alice.put("/data/projects/MINE").statusCode()).isEqualTo(200);
        assertThat(admin.put("/data/projects/OPEN?accessibility=public").statusCode())
                .isEqualTo(200);
        assertThat(admin.put("/data/projects/HIDDEN").statusCode()).isEqualTo(200);
        String mine = json(alice.get("/xapi/access/projects")).toString();
        assertThat(mine)
                .contains("{\"ID\":\"MINE\",\"name\":\"MINE\",\"secondary_ID\":\"MINE\",\"accessibility\":\"private\","
                        + "\"role\":\"owner\"}")
                .contains("\"ID\":\"OPEN\"")
                .doesNotContain("HIDDEN");
    }

    @Test
    void anAliasTokenLogsInUntilItIsInvalidatedOrExpires() {
        JsonNode token = json(alice.get("/data/services/tokens/issue"));
        String alias = token.path("alias").asString();
        String secret = token.path("secret").asString();
        assertThat(token.path("xdatUserId").asString()).isEqualTo("alice");
        assertThat(secret).matches("[A-Za-z0-9]{64}");
        assertThat(token.path("estimatedExpirationTime").asLong()
                        - token.path("created").asLong())
                .isEqualTo(2L * 24 * 3600 * 1000);
        // Basic credentials, and a session opened with them
        TestHttp byToken = new TestHttp(server.baseUrl(), alias, secret, false);
        assertThat(text(byToken.get("/data/auth"))).isEqualTo("User 'alice' is logged in");
        HttpResponse<byte[]> session = byToken.get("/data/JSESSION");
        assertThat(session.statusCode()).isEqualTo(200);
        TestHttp bySession = new TestHttp(server.baseUrl(), null, null, false);
        assertThat(bySession
                        .send(bySession.request("/data/auth").header("Cookie", "JSESSIONID=" + text(session)))
                        .statusCode())
                .isEqualTo(200);

        assertThat(text(admin.get("/data/services/tokens/validate/" + alias + "/" + secret)))
                .isEqualTo("{\"valid\":\"alice\"}");
        assertThat(text(admin.get("/data/services/tokens/validate/" + alias + "/wrong")))
                .isEqualTo("{}");
        assertThat(text(alice.get("/data/services/tokens/show"))).contains(alias);
        TestHttp bob = new TestHttp(server.baseUrl(), "bob", "bobpw", false);
        assertThat(bob.get("/data/services/tokens/invalidate/" + alias).statusCode())
                .isEqualTo(403);
        assertThat(text(alice.get("/data/services/tokens/invalidate/" + alias))).isEqualTo("{\"result\":\"OK\"}");
        assertThat(byToken.get("/data/auth").statusCode()).isEqualTo(401);
        assertThat(alice.get("/data/services/tokens/invalidate/no-such-alias").statusCode())
                .isEqualTo(404);

        JsonNode second = json(alice.get("/data/services/tokens/issue"));
        TestHttp again = new TestHttp(
                server.baseUrl(),
                second.path("alias").asString(),
                second.path("secret").asString(),
                false);
        assertThat(again.get("/data/auth").statusCode()).isEqualTo(200);
        clock.addAndGet(2L * 24 * 3600 * 1000 + 1);
        assertThat(again.get("/data/auth").statusCode()).isEqualTo(401);
        assertThat(text(alice.get("/data/services/tokens/show"))).isEqualTo("[]");
    }

    @Test
    void onlyAdministratorsIssueTokensForOthersAndTheGuestGetsNone() {
        assertThat(alice.get("/data/services/tokens/issue/user/bob").statusCode())
                .isEqualTo(403);
        JsonNode forBob = json(admin.get("/data/services/tokens/issue/user/bob"));
        assertThat(forBob.path("xdatUserId").asString()).isEqualTo("bob");
        TestHttp asBob = new TestHttp(
                server.baseUrl(),
                forBob.path("alias").asString(),
                forBob.path("secret").asString(),
                false);
        assertThat(text(asBob.get("/data/auth"))).isEqualTo("User 'bob' is logged in");
        assertThat(admin.get("/data/services/tokens/issue/user/nobody").statusCode())
                .isEqualTo(404);
        // a disabled user's tokens stop working too
        assertThat(admin.put("/xapi/users/bob/enabled/false").statusCode()).isEqualTo(200);
        assertThat(asBob.get("/data/auth").statusCode()).isEqualTo(401);
        assertThat(admin.put("/xapi/users/bob/enabled/true").statusCode()).isEqualTo(200);
        try (XnatTestServer open = XnatTestServer.builder().guestAccess(true).start()) {
            TestHttp guest = new TestHttp(open.baseUrl(), null, null, false);
            assertThat(guest.get("/data/services/tokens/issue").statusCode()).isEqualTo(403);
            assertThat(guest.put("/data/projects/G").statusCode()).isEqualTo(403);
        }
        TestHttp anonymous = new TestHttp(server.baseUrl(), null, null, false);
        assertThat(anonymous.get("/data/services/tokens/issue").statusCode()).isEqualTo(401);
    }
}
