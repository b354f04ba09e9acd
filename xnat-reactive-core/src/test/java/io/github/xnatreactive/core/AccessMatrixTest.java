package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.XnatTestServer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/**
 * The SDK's side of who may do what: each role doing each action on a public, a protected and a private project
 * through the client's API. Allowed actions take effect; refused ones are typed errors (403
 * {@link XnatForbiddenException}, 404 {@link XnatNotFoundException} for a private project), never an empty result.
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

    enum Outcome {
        DONE,
        FORBIDDEN,
        NOT_FOUND
    }

    private static final List<String> LEVELS = List.of("public", "protected", "private");
    private static final AtomicInteger counter = new AtomicInteger();
    private static XnatTestServer server;
    private static XnatClient admin;
    private static final Map<Actor, XnatClient> clients = new EnumMap<>(Actor.class);

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
        admin = client(Credentials.password("admin", "admin"));
        for (Actor a : Actor.values()) {
            clients.put(
                    a,
                    client(
                            a == Actor.GUEST
                                    ? Credentials.anonymous()
                                    : Credentials.password(login(a), login(a) + "pw")));
        }
        XnatClient owner = clients.get(Actor.OWNER);
        for (String level : LEVELS) {
            ProjectRef p = owner.project(project(level));
            p.create().block();
            p.setAccessibility(level).block();
            p.addUser(login(Actor.MEMBER), ProjectRole.MEMBER).block();
            p.addUser(login(Actor.COLLABORATOR), ProjectRole.COLLABORATOR).block();
            p.subject("S1").create().block();
        }
        // a private project of the administrator's whose subject, session and assessor are shared into each
        ProjectRef home = admin.project("HOME");
        home.create().block();
        ExperimentRef he1 = home.subject("HS1").experiment("HE1");
        he1.create("xnat:mrSessionData", Map.of(), true).block();
        he1.assessor("HQC1").create("xnat:qcManualAssessorData", Map.of()).block();
        for (String level : LEVELS) {
            home.subject("HS1").share(project(level), "IN_S1", false).block();
            he1.share(project(level), "IN_E1", false).block();
            he1.assessor("HQC1").share(project(level), "IN_QC1", false).block();
        }
        for (Actor a : List.of(Actor.OWNER, Actor.MEMBER, Actor.COLLABORATOR, Actor.OUTSIDER)) {
            ProjectRef dest = clients.get(a).project("DEST_" + a);
            dest.create().block();
            dest.setAccessibility("protected").block();
        }
    }

    @AfterAll
    static void stop() {
        clients.values().forEach(XnatClient::close);
        admin.close();
        server.close();
    }

    private static XnatClient client(Credentials c) {
        return XnatClient.builder().serverUrl(server.baseUrl()).credentials(c).build();
    }

    private static String login(Actor a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    private static String project(String level) {
        return "SDK_" + level.toUpperCase(Locale.ROOT);
    }

    /** What XNAT lets {@code actor} do: see the testkit's matrix for the same rules over plain HTTP. */
    static Outcome expected(Actor actor, Action action, String level) {
        boolean inProject = actor == Actor.OWNER || actor == Actor.MEMBER || actor == Actor.COLLABORATOR;
        if (!inProject) {
            if (level.equals("private")) {
                return Outcome.NOT_FOUND;
            }
            boolean read = action == Action.READ || action == Action.READ_SHARED;
            boolean publicRead = level.equals("public") && (read || action == Action.SHARE && actor != Actor.GUEST);
            return publicRead ? Outcome.DONE : Outcome.FORBIDDEN;
        }
        boolean allowed =
                switch (action) {
                    case READ, READ_SHARED, SHARE -> true;
                    case CREATE, UPDATE -> actor != Actor.COLLABORATOR;
                    case DELETE, LIST_USERS -> actor == Actor.OWNER;
                };
        return allowed ? Outcome.DONE : Outcome.FORBIDDEN;
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
    void theClientDoesWhatTheRoleAllowsAndFailsTypedOtherwise(Actor actor, Action action, String level) {
        XnatClient xnat = clients.get(actor);
        ProjectRef p = xnat.project(project(level));
        ProjectRef asAdmin = admin.project(project(level));
        String fresh = "N" + counter.incrementAndGet();
        String dest = actor == Actor.GUEST ? "DEST_OWNER" : "DEST_" + actor;
        Mono<?> call =
                switch (action) {
                    case READ -> p.subject("S1").get();
                    case READ_SHARED -> {
                        ExperimentRef in = p.subject("IN_S1").experiment("IN_E1");
                        yield Mono.zip(
                                in.subject().get(),
                                in.get(),
                                in.assessor("IN_QC1").fields(),
                                in.assessors().map(Experiment::label).collectList());
                    }
                    case CREATE -> p.subject(fresh).create();
                    case UPDATE -> p.subject("S1").update(Map.of("gender", "female"));
                    case DELETE -> {
                        asAdmin.subject(fresh).create().block();
                        yield p.subject(fresh).delete(false);
                    }
                    case SHARE -> p.subject("S1").share(dest, fresh, false);
                    case LIST_USERS -> p.users().collectList();
                };
        Outcome want = expected(actor, action, level);
        if (want == Outcome.DONE) {
            Object result = call.block();
            switch (action) {
                case READ -> assertThat(((Subject) result).label()).isEqualTo("S1");
                case READ_SHARED -> {
                    var read = (reactor.util.function.Tuple4<?, ?, ?, ?>) result;
                    ExperimentRef he1 = admin.project("HOME").subject("HS1").experiment("HE1");
                    assertThat(((Subject) read.getT1()).id())
                            .isEqualTo(admin.project("HOME")
                                    .subject("HS1")
                                    .get()
                                    .block()
                                    .id());
                    assertThat(((Experiment) read.getT2()).id())
                            .isEqualTo(he1.get().block().id());
                    assertThat(((Map<?, ?>) read.getT3()).get("ID"))
                            .isEqualTo(he1.assessor("HQC1").fields().block().get("ID"));
                    assertThat(read.getT4()).isEqualTo(List.of("IN_QC1"));
                }
                case CREATE ->
                    assertThat(asAdmin.subject(fresh).exists().block()).isTrue();
                case UPDATE ->
                    assertThat(asAdmin.subject("S1").fields().block()).containsValue("female");
                case DELETE ->
                    assertThat(asAdmin.subject(fresh).exists().block()).isFalse();
                case SHARE -> {
                    assertThat(xnat.project(dest)
                                    .subjects()
                                    .map(Subject::label)
                                    .collectList()
                                    .block())
                            .contains(fresh);
                    assertThat(p.subject("S1")
                                    .shares()
                                    .map(Share::label)
                                    .collectList()
                                    .block())
                            .contains("S1", fresh);
                    xnat.project(project(level)).subject("S1").unshare(dest).block();
                }
                case LIST_USERS ->
                    assertThat(p.users()
                                    .map(m -> m.login() + "/" + m.role())
                                    .collectList()
                                    .block())
                            .containsExactly("owner/OWNER", "member/MEMBER", "collaborator/COLLABORATOR");
            }
        } else {
            assertThatThrownBy(call::block)
                    .isInstanceOf(
                            want == Outcome.FORBIDDEN ? XnatForbiddenException.class : XnatNotFoundException.class);
            if (action == Action.CREATE) {
                assertThat(asAdmin.subject(fresh).exists().block()).isFalse();
            } else if (action == Action.DELETE) {
                assertThat(asAdmin.subject(fresh).exists().block()).isTrue();
            }
        }
    }
}
