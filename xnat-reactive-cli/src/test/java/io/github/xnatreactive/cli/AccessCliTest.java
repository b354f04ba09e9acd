package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The access commands (users, project, share, unshare, token) and --alias-token, against a testkit server. */
class AccessCliTest {
    @RegisterExtension
    static XnatTestServerExtension server = new XnatTestServerExtension(b -> b.user("admin", "admin")
            .user("alice", "alicepw", "Alice", "Liddell", "alice@example.org")
            .seed(SeedSpec.parse("DEMO:1x1x1x1x1K")));

    @TempDir
    Path tmp;

    Map<String, String> env;

    @BeforeEach
    void env() {
        env = new HashMap<>(Map.of(
                "XNAT_HOST", server.server().baseUrl(),
                "XNAT_USER", "admin",
                "XNAT_PASS", "admin"));
    }

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(
                env,
                tmp.resolve("home"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                p -> {
                    throw new AssertionError("no prompt expected: " + p);
                },
                false);
        int code = cli.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<JsonNode> json(Run r) {
        ObjectMapper m = new ObjectMapper();
        return r.out().lines().map(m::readTree).toList();
    }

    @Test
    void usersLsAndShow() {
        Run ls = run("users", "ls", "--csv");
        assertThat(ls.code()).as(ls.err()).isZero();
        assertThat(ls.out().lines().toList()).first().isEqualTo("login,firstname,lastname,email,id,enabled,verified");
        assertThat(ls.out()).contains("alice,Alice,Liddell,alice@example.org,2,true,true");
        Run show = run("users", "show", "alice", "--json");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(json(show).get(0).path("email").asString()).isEqualTo("alice@example.org");
        env.put("XNAT_USER", "alice");
        env.put("XNAT_PASS", "alicepw");
        Run refused = run("users", "ls");
        assertThat(refused.code()).isEqualTo(Cli.ERROR);
        assertThat(refused.err()).contains("403");
        assertThat(run("users", "show", "nobody").code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(run("users").code()).isEqualTo(Cli.USAGE);
    }

    @Test
    void projectUsersAddUserAndRemoveUser() {
        Run add = run("project", "add-user", "DEMO", "member", "alice");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("alice is now a member of DEMO");
        Run users = run("project", "users", "DEMO");
        assertThat(users.code()).as(users.err()).isZero();
        assertThat(users.out().lines().toList()).hasSize(3);
        assertThat(users.out())
                .contains("admin")
                .contains("owner")
                .contains("alice")
                .contains("member");
        assertThat(run("project", "add-user", "DEMO", "boss", "alice").code()).isEqualTo(Cli.USAGE);
        assertThat(run("project", "add-user", "NOPE", "member", "alice").code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(run("project", "remove-user", "DEMO", "alice").code()).isZero();
        assertThat(run("project", "users", "DEMO").out()).doesNotContain("alice");
    }

    @Test
    void shareAndUnshareASubject() {
        io.github.xnatreactive.core.XnatClient admin = io.github.xnatreactive.core.XnatClient.builder()
                .serverUrl(server.server().baseUrl())
                .credentials(io.github.xnatreactive.core.Credentials.password("admin", "admin"))
                .build();
        try (admin) {
            admin.project("OTHER").create().block();
        }
        Run share = run("share", "/projects/DEMO/subjects/DEMO_S001", "OTHER", "--label", "O_S001");
        assertThat(share.code()).as(share.err()).isZero();
        assertThat(run("ls", "/projects/OTHER/subjects").out()).contains("O_S001");
        Run again = run("share", "/projects/DEMO/subjects/DEMO_S001", "OTHER");
        assertThat(again.code()).isEqualTo(Cli.ERROR);
        assertThat(again.err()).contains("Already assigned to project:OTHER");
        assertThat(run("share", "/projects/DEMO", "OTHER").code()).isEqualTo(Cli.USAGE);
        Run unshare = run("unshare", "/projects/DEMO/subjects/DEMO_S001", "OTHER");
        assertThat(unshare.code()).as(unshare.err()).isZero();
        assertThat(run("ls", "/projects/OTHER/subjects").out()).doesNotContain("O_S001");
    }

    @Test
    void aTokenIssuedByTheCliLogsInWithAliasToken() {
        Run issue = run("token", "issue", "--for", "alice", "--json");
        assertThat(issue.code()).as(issue.err()).isZero();
        JsonNode t = json(issue).get(0);
        assertThat(t.path("login").asString()).isEqualTo("alice");
        env.remove("XNAT_USER");
        env.put("XNAT_PASS", t.path("secret").asString());
        Run who = run("users", "show", "alice", "--alias-token", t.path("alias").asString());
        assertThat(who.code()).as(who.err()).isZero();
        assertThat(who.out()).contains("alice@example.org");
        // alice is no administrator: the token logs in as her, not as admin
        Run ls = run("users", "ls", "--alias-token", t.path("alias").asString());
        assertThat(ls.code()).isEqualTo(Cli.ERROR);
        env.put("XNAT_PASS", "wrong-secret");
        Run bad = run("ls", "/projects", "--alias-token", t.path("alias").asString());
        assertThat(bad.code()).isEqualTo(Cli.AUTH);
        assertThat(bad.err()).doesNotContain("wrong-secret");
    }

    @Test
    void everyAccessCommandHasHelp() {
        for (List<String> c : List.of(
                List.of("users", "ls"),
                List.of("users", "show"),
                List.of("project", "users"),
                List.of("project", "add-user"),
                List.of("share"),
                List.of("unshare"),
                List.of("token", "issue"))) {
            String[] args = java.util.stream.Stream.concat(c.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Run r = run(args);
            assertThat(r.code()).as(c.toString()).isZero();
            assertThat(r.out()).as(c.toString()).contains("Usage: xnat-reactive " + String.join(" ", c));
        }
    }
}
