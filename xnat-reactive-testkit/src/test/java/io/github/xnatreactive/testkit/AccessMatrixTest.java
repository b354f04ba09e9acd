package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may do what (contract section 9): an owner, a member, a collaborator, an outsider and the guest, each doing
 * each action on a public, a protected and a private project, over HTTP. Owners do everything; members create and
 * edit but do not delete; collaborators read; outsiders and the guest read public data, are refused protected data
 * (403) and do not see private projects (404). {@code READ_SHARED} reads a subject, a session and an assessor of an
 * administrator's private project through the project they are shared into, by their labels there: that project's
 * rights decide, as for its own data.
 */
class AccessMatrixTest {
    enum Actor {
        OWNER,
        MEMBER,
        COLLABORATOR,
        OUTSIDER,
        GUEST
    }

    enum Action {
        READ,
        READ_SHARED,
        CREATE,
        UPDATE,
        DELETE,
        SHARE,
        LIST_USERS
    }

    private static final List<String> LEVELS = List.of("public", "protected", "private");
    private static final AtomicInteger counter = new AtomicInteger();
    private static XnatTestServer server;
    private static TestHttp admin;

    @BeforeAll
    static void start() {
        XnatTestServer.Builder b =
                XnatTestServer.builder().user("admin", "admin").guestAccess(true);
        for (Actor a : Actor.values()) {
            if (a != Actor.GUEST) {
                b.user(login(a), login(a) + "pw");
            }
        }
        server = b.start();
        admin = new TestHttp(server);
        for (String level : LEVELS) {
            String p = project(level);
            TestHttp owner = http(Actor.OWNER);
            assertThat(owner.put("/data/projects/" + p + "?accessibility=" + level)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(owner.put("/data/projects/" + p + "/users/member/" + login(Actor.MEMBER))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(owner.put("/data/projects/" + p + "/users/collaborator/" + login(Actor.COLLABORATOR))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(owner.put("/data/projects/" + p + "/subjects/S1").statusCode())
                    .isEqualTo(201);
        }
        // a private project of the administrator's whose subject, session and assessor are shared into each
        String home = "/data/projects/HOME/subjects/HS1";
        assertThat(admin.put("/data/projects/HOME?accessibility=private").statusCode())
                .isEqualTo(200);
        assertThat(admin.put(home + "/experiments/HE1?xsiType=xnat:mrSessionData")
                        .statusCode())
                .isEqualTo(201);
        assertThat(admin.put(home + "/experiments/HE1/assessors/HQC1?xsiType=xnat:qcManualAssessorData")
                        .statusCode())
                .isEqualTo(201);
        for (String level : LEVELS) {
            String p = project(level);
            assertThat(admin.put(home + "/projects/" + p + "?label=IN_S1").statusCode())
                    .isEqualTo(200);
            assertThat(admin.put(home + "/experiments/HE1/projects/" + p + "?label=IN_E1")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(admin.put(home + "/experiments/HE1/assessors/HQC1/projects/" + p + "?label=IN_QC1")
                            .statusCode())
                    .isEqualTo(200);
        }
        for (Actor a : List.of(Actor.OWNER, Actor.MEMBER, Actor.COLLABORATOR, Actor.OUTSIDER)) {
            // every actor but the guest owns a protected project to share into
            assertThat(http(a).put("/data/projects/DEST_" + a + "?accessibility=protected")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String login(Actor a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    static String project(String level) {
        return "ACC_" + level.toUpperCase(Locale.ROOT);
    }

    private static TestHttp http(Actor a) {
        return a == Actor.GUEST
                ? new TestHttp(server.baseUrl(), null, null, false)
                : new TestHttp(server.baseUrl(), login(a), login(a) + "pw", false);
    }

    /** XNAT's answer to {@code actor} doing {@code action} on a project of {@code level}. */
    static int expected(Actor actor, Action action, String level) {
        boolean inProject = actor == Actor.OWNER || actor == Actor.MEMBER || actor == Actor.COLLABORATOR;
        if (!inProject) {
            if (level.equals("private")) {
                return 404;
            }
            boolean read = action == Action.READ || action == Action.READ_SHARED;
            if (level.equals("protected") || !read && action != Action.SHARE) {
                return 403;
            }
            return action == Action.SHARE && actor == Actor.GUEST ? 403 : 200;
        }
        return switch (action) {
            case READ, READ_SHARED, SHARE -> 200;
            case CREATE -> actor == Actor.COLLABORATOR ? 403 : 201;
            case UPDATE -> actor == Actor.COLLABORATOR ? 403 : 200;
            case DELETE, LIST_USERS -> actor == Actor.OWNER ? 200 : 403;
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Actor a : Actor.values()) {
            for (Action x : Action.values()) {
                for (String level : LEVELS) {
                    out.add(Arguments.of(a, x, level));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} on a {2} project")
    @MethodSource("cases")
    void eachRoleMayDoWhatXnatLetsIt(Actor actor, Action action, String level) {
        String subjects = "/data/projects/" + project(level) + "/subjects/";
        TestHttp http = http(actor);
        int want = expected(actor, action, level);
        String fresh = "N" + counter.incrementAndGet();
        HttpResponse<byte[]> r =
                switch (action) {
                    case READ -> http.get(subjects + "S1?format=json");
                    case READ_SHARED -> http.get(subjects + "IN_S1/experiments/IN_E1/assessors/IN_QC1?format=json");
                    case CREATE -> http.put(subjects + fresh);
                    case UPDATE -> http.put(subjects + "S1?gender=female");
                    case DELETE -> {
                        assertThat(admin.put(subjects + fresh).statusCode()).isEqualTo(201);
                        yield http.delete(subjects + fresh);
                    }
                    case SHARE -> {
                        String dest = actor == Actor.GUEST ? "DEST_OWNER" : "DEST_" + actor;
                        yield http.put(subjects + "S1/projects/" + dest + "?label=" + fresh);
                    }
                    case LIST_USERS -> http.get("/data/projects/" + project(level) + "/users?format=json");
                };
        assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(want);
        if (want < 300) {
            switch (action) {
                case CREATE ->
                    assertThat(admin.get(subjects + fresh + "?format=json").statusCode())
                            .isEqualTo(200);
                case DELETE ->
                    assertThat(admin.get(subjects + fresh + "?format=json").statusCode())
                            .isEqualTo(404);
                case UPDATE ->
                    assertThat(TestHttp.text(admin.get(subjects + "S1?format=json")))
                            .contains("female");
                case READ_SHARED -> {
                    assertThat(TestHttp.text(r)).contains("HQC1");
                    String session = subjects + "IN_S1/experiments/IN_E1";
                    assertThat(http.get(subjects + "IN_S1?format=json").statusCode())
                            .isEqualTo(200);
                    assertThat(http.get(session + "?format=json").statusCode()).isEqualTo(200);
                    assertThat(TestHttp.rows(http.get(session + "/assessors?format=json")).stream()
                                    .map(n -> n.path("label").asString()))
                            .containsExactly("IN_QC1");
                    // through the project it is shared into, its own label does not name it
                    assertThat(http.get(session + "/assessors/HQC1?format=json").statusCode())
                            .isEqualTo(404);
                }
                case SHARE -> {
                    String dest = "/data/projects/DEST_" + actor;
                    assertThat(TestHttp.rows(http.get(dest + "/subjects?format=json")).stream()
                                    .map(n -> n.path("label").asString()))
                            .contains(fresh);
                    assertThat(http.delete(subjects + "S1/projects/DEST_" + actor)
                                    .statusCode())
                            .isEqualTo(200);
                }
                case LIST_USERS ->
                    assertThat(TestHttp.rows(r).stream()
                                    .map(n -> n.path("login").asString() + "/"
                                            + n.path("displayname").asString()))
                            .containsExactly("owner/Owners", "member/Members", "collaborator/Collaborators");
                default -> {}
            }
        } else if (action == Action.CREATE) {
            assertThat(admin.get(subjects + fresh + "?format=json").statusCode())
                    .isEqualTo(404);
        } else if (action == Action.DELETE) {
            assertThat(admin.get(subjects + fresh + "?format=json").statusCode())
                    .isEqualTo(200);
        }
    }
}
