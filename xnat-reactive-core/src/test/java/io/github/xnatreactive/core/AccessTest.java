package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.XnatTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Users, project groups, alias tokens, anonymous access and sharing through the SDK, against the testkit. */
class AccessTest {
    private static XnatTestServer server;
    private static XnatClient admin;
    private static XnatClient alice;

    @BeforeAll
    static void start() {
        server = XnatTestServer.builder()
                .user("admin", "admin")
                .user("alice", "alicepw", "Alice", "Liddell", "alice@example.org")
                .user("bob", "bobpw")
                .guestAccess(true)
                .start();
        admin = client(Credentials.password("admin", "admin"));
        alice = client(Credentials.password("alice", "alicepw"));
    }

    @AfterAll
    static void stop() {
        alice.close();
        admin.close();
        server.close();
    }

    private static XnatClient client(Credentials c) {
        return XnatClient.builder().serverUrl(server.baseUrl()).credentials(c).build();
    }

    @Test
    void usersAreListedAndReadWithTheirNamesAndNonAdministratorsAreRefused() {
        XnatUser a = admin.users().list().filter(u -> u.login().equals("alice")).blockFirst();
        assertThat(a).isEqualTo(new XnatUser("alice", "Alice", "Liddell", "alice@example.org", 2, true, true));
        assertThat(admin.users().get("alice").block()).isEqualTo(a);
        assertThat(alice.users().get("alice").block().email()).isEqualTo("alice@example.org");
        assertThatThrownBy(() -> alice.users().list().collectList().block()).isInstanceOf(XnatForbiddenException.class);
        assertThatThrownBy(() -> alice.users().get("bob").block()).isInstanceOf(XnatForbiddenException.class);
        assertThatThrownBy(() -> admin.users().get("nobody").block()).isInstanceOf(XnatNotFoundException.class);
        assertThat(admin.users().roles("admin").collectList().block()).containsExactly("Administrator");
        assertThat(alice.users().roles("alice").collectList().block()).isEmpty();
    }

    @Test
    void anAdministratorCreatesDisablesAndEnablesAUser() {
        NewUser dave = new NewUser("dave", "davepw", "Dave", "Lister", "dave@red.dwarf");
        assertThat(dave.toString()).doesNotContain("davepw");
        assertThatThrownBy(() -> alice.users().create(dave).block()).isInstanceOf(XnatForbiddenException.class);
        XnatUser created = admin.users().create(dave).block();
        assertThat(created.login()).isEqualTo("dave");
        assertThat(created.lastname()).isEqualTo("Lister");
        assertThatThrownBy(() -> admin.users().create(dave).block()).isInstanceOf(XnatConflictException.class);
        try (XnatClient asDave = client(Credentials.password("dave", "davepw"))) {
            assertThat(asDave.projects().collectList().block()).isNotNull();
            admin.users().setEnabled("dave", false).block();
            assertThat(admin.users().get("dave").block().enabled()).isFalse();
        }
        try (XnatClient again = client(Credentials.password("dave", "davepw"))) {
            assertThatThrownBy(() -> again.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class);
            admin.users().setEnabled("dave", true).block();
            admin.users().setVerified("dave", false).block();
            assertThat(admin.users().get("dave").block().verified()).isFalse();
            admin.users().setRoles("dave", List.of("Administrator")).block();
            assertThat(again.users().list().map(XnatUser::login).collectList().block())
                    .contains("dave");
        }
        assertThatThrownBy(() -> alice.users().setEnabled("bob", false).block())
                .isInstanceOf(XnatForbiddenException.class);
    }

    @Test
    void projectUsersRolesAndAccessibleProjects() {
        ProjectRef p = alice.project("TEAM");
        p.create().block();
        p.addUser("bob", ProjectRole.MEMBER).block();
        assertThat(p.owners().collectList().block()).containsExactly("alice");
        assertThat(p.members().collectList().block()).containsExactly("bob");
        assertThat(p.collaborators().collectList().block()).isEmpty();
        assertThat(p.role("bob").block()).isEqualTo(ProjectRole.MEMBER);
        assertThat(p.role("admin").blockOptional()).isEmpty();
        assertThat(p.users().blockFirst())
                .isEqualTo(new ProjectMember(
                        "alice", ProjectRole.OWNER, "Alice", "Liddell", "alice@example.org", "TEAM_owner"));
        p.addUser("bob", ProjectRole.COLLABORATOR).block();
        assertThat(p.role("bob").block()).isEqualTo(ProjectRole.COLLABORATOR);
        try (XnatClient bob = client(Credentials.password("bob", "bobpw"))) {
            assertThat(bob.users()
                            .accessibleProjects()
                            .filter(a -> a.id().equals("TEAM"))
                            .blockFirst())
                    .isEqualTo(new ProjectAccess("TEAM", "TEAM", "private", ProjectRole.COLLABORATOR));
            assertThatThrownBy(() -> bob.project("TEAM").users().collectList().block())
                    .isInstanceOf(XnatForbiddenException.class);
            assertThatThrownBy(() -> bob.project("TEAM")
                            .addUser("bob", ProjectRole.OWNER)
                            .block())
                    .isInstanceOf(XnatForbiddenException.class);
            p.removeUser("bob").block();
            assertThat(p.role("bob").blockOptional()).isEmpty();
            p.removeUser("bob").block(); // nothing left to remove
            assertThatThrownBy(() -> bob.project("TEAM").get().block()).isInstanceOf(XnatNotFoundException.class);
        }
        assertThatThrownBy(() -> p.addUser("nobody", ProjectRole.MEMBER).block())
                .isInstanceOf(XnatNotFoundException.class);
        assertThat(ProjectRole.parse("Collaborators")).isEqualTo(ProjectRole.COLLABORATOR);
        assertThat(ProjectRole.parse("TEAM_owner")).isEqualTo(ProjectRole.OWNER);
    }

    @Test
    void anAliasTokenLogsInAsItsUserUntilInvalidated() {
        AliasToken token = alice.aliasTokens().issue().block();
        assertThat(token.login()).isEqualTo("alice");
        assertThat(token.expires()).isAfter(token.created());
        assertThat(token.toString()).doesNotContain(token.secret());
        assertThat(alice.aliasTokens().validate(token.alias(), token.secret()).block())
                .isEqualTo("alice");
        assertThat(alice.aliasTokens().validate(token.alias(), "wrong").blockOptional())
                .isEmpty();
        assertThat(alice.aliasTokens()
                        .list()
                        .map(AliasToken::alias)
                        .collectList()
                        .block())
                .contains(token.alias());
        alice.project("TOKENS").create().block();
        try (XnatClient byToken = client(token.credentials())) {
            assertThat(byToken.project("TOKENS").exists().block()).isTrue();
            assertThat(byToken.users()
                            .accessibleProjects()
                            .map(ProjectAccess::id)
                            .collectList()
                            .block())
                    .contains("TOKENS");
        }
        alice.aliasTokens().invalidate(token.alias()).block();
        try (XnatClient byToken = client(token.credentials())) {
            assertThatThrownBy(() -> byToken.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class);
        }
        assertThatThrownBy(() -> alice.aliasTokens().issueFor("bob").block())
                .isInstanceOf(XnatForbiddenException.class);
        AliasToken forBob = admin.aliasTokens().issueFor("bob").block();
        assertThat(forBob.login()).isEqualTo("bob");
        assertThatThrownBy(() -> alice.aliasTokens().invalidate(forBob.alias()).block())
                .isInstanceOf(XnatForbiddenException.class);
        assertThatThrownBy(() -> alice.aliasTokens().invalidate("no-such-alias").block())
                .isInstanceOf(XnatNotFoundException.class);
    }

    @Test
    void listingsTheUserMayNotReadFailTypedInsteadOfComingBackEmpty() {
        admin.project("GUARDED").create().block();
        admin.project("GUARDED").setAccessibility("protected").block();
        admin.project("GUARDED").subject("S1").create().block();
        admin.project("SECRET").create().block();
        assertThat(alice.project("GUARDED").get().block().id()).isEqualTo("GUARDED");
        assertThatThrownBy(
                        () -> alice.project("GUARDED").subjects().collectList().block())
                .isInstanceOf(XnatForbiddenException.class);
        assertThatThrownBy(() ->
                        alice.project("GUARDED").experiments().collectList().block())
                .isInstanceOf(XnatForbiddenException.class);
        assertThatThrownBy(
                        () -> alice.project("SECRET").subjects().collectList().block())
                .isInstanceOf(XnatNotFoundException.class);
        assertThat(alice.projects().map(Project::id).collectList().block())
                .contains("GUARDED")
                .doesNotContain("SECRET");
    }

    @Test
    void aFailedValidationNeverShowsTheSecret() {
        AliasToken token = alice.aliasTokens().issue().block();
        server.route("GET", "/data/services/tokens/validate/{alias}/{secret}", req -> RouteResponse.error(500, "down"));
        assertThatThrownBy(() -> alice.aliasTokens()
                        .validate(token.alias(), token.secret())
                        .block())
                .isInstanceOf(XnatServerException.class)
                .satisfies(e -> assertThat(e.toString()).doesNotContain(token.secret()))
                .hasMessageContaining("/data/services/tokens/validate/{alias}/{secret}");
        server.route("GET", "/data/services/tokens/validate/{alias}/{secret}", req -> RouteResponse.proceed());
        assertThat(alice.aliasTokens().validate(token.alias(), token.secret()).block())
                .isEqualTo("alice");
    }

    @Test
    void anonymousClientsReadPublicProjectsOnly() {
        admin.project("OPEN").create().block();
        admin.project("OPEN").setAccessibility("public").block();
        admin.project("OPEN").subject("S1").create().block();
        admin.project("CLOSED").create().block();
        try (XnatClient guest = client(Credentials.anonymous())) {
            assertThat(guest.project("OPEN")
                            .subjects()
                            .map(Subject::label)
                            .collectList()
                            .block())
                    .containsExactly("S1");
            assertThat(guest.projects().map(Project::id).collectList().block())
                    .contains("OPEN")
                    .doesNotContain("CLOSED");
            assertThatThrownBy(() -> guest.project("CLOSED").get().block()).isInstanceOf(XnatNotFoundException.class);
            assertThatThrownBy(
                            () -> guest.project("OPEN").subject("S2").create().block())
                    .isInstanceOf(XnatForbiddenException.class);
            assertThatThrownBy(() -> guest.aliasTokens().issue().block()).isInstanceOf(XnatForbiddenException.class);
        }
        try (XnatTestServer closed = XnatTestServer.builder().start();
                XnatClient guest = XnatClient.builder()
                        .serverUrl(closed.baseUrl())
                        .credentials(Credentials.anonymous())
                        .build()) {
            assertThatThrownBy(() -> guest.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class);
        }
    }

    @Test
    void subjectsExperimentsAndAssessorsAreSharedListedAndUnshared() {
        SubjectRef s = admin.project("HOME").subject("S1");
        ExperimentRef e = s.experiment("E1");
        e.create("xnat:mrSessionData", Map.of(), true).block();
        AssessorRef qc = e.assessor("QC1");
        qc.create("xnat:qcManualAssessorData", Map.of()).block();
        admin.project("AWAY").create().block();

        s.share("AWAY", "AWAY_S1", false).block();
        e.share("AWAY").block();
        qc.share("AWAY", "AWAY_QC1", false).block();
        assertThat(s.shares().collectList().block())
                .containsExactly(new Share("HOME", "S1", true), new Share("AWAY", "AWAY_S1", false));
        assertThat(e.shares().map(Share::project).collectList().block()).containsExactly("HOME", "AWAY");
        assertThat(qc.shares().map(Share::label).collectList().block()).containsExactly("QC1", "AWAY_QC1");
        ProjectRef away = admin.project("AWAY");
        assertThat(away.subjects().map(Subject::label).collectList().block()).containsExactly("AWAY_S1");
        assertThat(away.experiments().map(Experiment::label).collectList().block())
                .containsExactly("E1");
        assertThat(away.subject("AWAY_S1").get().block().id())
                .isEqualTo(s.get().block().id());

        assertThatThrownBy(() -> s.share("AWAY").block()).isInstanceOf(XnatConflictException.class);
        assertThatThrownBy(() -> s.share("NOWHERE").block()).isInstanceOf(XnatNotFoundException.class);
        assertThatThrownBy(() -> s.unshare("HOME").block()).isInstanceOf(XnatHttpException.class);

        // deleting through AWAY removes only the share
        away.subject("AWAY_S1").delete(false).block();
        assertThat(s.exists().block()).isTrue();
        assertThat(away.subjects().collectList().block()).isEmpty();
        e.unshare("AWAY").block();
        assertThat(away.experiments().collectList().block()).isEmpty();
        qc.unshare("AWAY").block();
        assertThat(qc.shares().collectList().block()).hasSize(1);

        // primary moves ownership; HOME keeps the subject as a share
        s.share("AWAY", "MOVED", true).block();
        assertThat(away.subject("MOVED").shares().collectList().block())
                .containsExactly(new Share("AWAY", "MOVED", true), new Share("HOME", "S1", false));
        assertThat(away.subjects().map(Subject::project).collectList().block()).containsExactly("AWAY");
    }
}
