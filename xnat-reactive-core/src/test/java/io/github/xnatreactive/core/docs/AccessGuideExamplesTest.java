package io.github.xnatreactive.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.AliasToken;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.NewUser;
import io.github.xnatreactive.core.Project;
import io.github.xnatreactive.core.ProjectAccess;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.ProjectRole;
import io.github.xnatreactive.core.Share;
import io.github.xnatreactive.core.Subject;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatUser;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples of docs/guide/access.md, run against the testkit. Each block between "// doc:NAME" and "// end" is
 * the text of a snippet in the guide; {@link DocSnippetsTest} checks that the guide still shows them verbatim.
 */
class AccessGuideExamplesTest {
    @RegisterExtension
    static XnatTestServerExtension server = new XnatTestServerExtension(b -> b.user("admin", "admin")
            .user("alice", "alicepw", "Alice", "Liddell", "alice@example.org")
            .user("bob", "bobpw")
            .guestAccess(true));

    String url;
    XnatClient xnat;

    @BeforeEach
    void connect() {
        url = server.server().baseUrl();
        xnat = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    @AfterEach
    void close() {
        xnat.close();
    }

    @Test
    void roles() {
        // doc:roles
        ProjectRef p = xnat.project("STUDY");
        p.create().block();
        p.setAccessibility("protected").block();
        p.addUser("alice", ProjectRole.MEMBER).block();
        p.addUser("bob", ProjectRole.COLLABORATOR).block();
        List<String> members = p.members().collectList().block(); // [alice]
        ProjectRole bobs = p.role("bob").block(); // COLLABORATOR
        p.removeUser("bob").block();
        // end
        assertThat(members).containsExactly("alice");
        assertThat(bobs).isEqualTo(ProjectRole.COLLABORATOR);
        assertThat(p.collaborators().collectList().block()).isEmpty();
    }

    @Test
    void users() {
        // doc:users
        XnatUser alice = xnat.users().get("alice").block();
        String email = alice.email();
        xnat.users()
                .create(new NewUser("carol", "c4rol-pw", "Carol", "Danvers", "carol@example.org"))
                .block();
        xnat.users().setEnabled("carol", false).block(); // carol can no longer log in
        List<ProjectAccess> readable =
                xnat.users().accessibleProjects().collectList().block();
        // end
        assertThat(email).isEqualTo("alice@example.org");
        assertThat(xnat.users().get("carol").block().enabled()).isFalse();
        assertThat(readable).isNotNull();
    }

    @Test
    void tokens() {
        xnat.project("HERS").create().block();
        xnat.project("HERS").addUser("alice", ProjectRole.OWNER).block();
        // doc:tokens
        AliasToken token = xnat.aliasTokens().issueFor("alice").block(); // administrators; issue() for yourself
        List<ProjectAccess> hers;
        try (XnatClient asAlice = XnatClient.builder()
                .serverUrl(url)
                .credentials(token.credentials())
                .build()) {
            hers = asAlice.users().accessibleProjects().collectList().block();
        }
        xnat.aliasTokens().invalidate(token.alias()).block(); // the token no longer logs in
        // end
        assertThat(hers).contains(new ProjectAccess("HERS", "HERS", "private", ProjectRole.OWNER));
        assertThat(xnat.aliasTokens().validate(token.alias(), token.secret()).blockOptional())
                .isEmpty();
    }

    @Test
    void anonymous() {
        xnat.project("OPEN").create().block();
        xnat.project("OPEN").setAccessibility("public").block();
        // doc:anonymous
        List<Project> open;
        try (XnatClient guest = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.anonymous())
                .build()) {
            open = guest.projects().collectList().block(); // public (and protected) projects
        }
        // end
        assertThat(open).extracting(Project::id).contains("OPEN");
    }

    @Test
    void sharing() {
        // doc:sharing
        SubjectRef s = xnat.project("STUDY").subject("S001");
        s.create().block();
        xnat.project("ATLAS").create().block();
        s.share("ATLAS", "ATLAS_001", false).block();
        List<String> inAtlas = xnat.project("ATLAS")
                .subjects()
                .map(Subject::label)
                .collectList()
                .block(); // [ATLAS_001]
        List<Share> shares = s.shares().collectList().block(); // STUDY (primary), ATLAS as ATLAS_001
        s.unshare("ATLAS").block();
        // end
        assertThat(inAtlas).containsExactly("ATLAS_001");
        assertThat(shares).containsExactly(new Share("STUDY", "S001", true), new Share("ATLAS", "ATLAS_001", false));
    }

    @Test
    void testServer() {
        // doc:testServer
        String who;
        try (XnatTestServer site = XnatTestServer.builder()
                .user("admin", "admin") // the first user is the site administrator
                .user("alice", "alicepw", "Alice", "Liddell", "alice@example.org")
                .guestAccess(true)
                .start()) {
            who = site.adminUser(); // admin
        }
        // end
        assertThat(who).isEqualTo("admin");
    }
}
