package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.core.internal.ConfigSources;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

class ConfigurationTest {
    static final String PASSWORD = "Pa55-w0rd-CONFIG";

    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", PASSWORD).seed(SeedSpec.parse("DEMO:1x1x1x1x1K")));

    @TempDir
    Path home;

    static String base() {
        return xnat.server().baseUrl();
    }

    static void assertListsDemo(XnatClient c) {
        try (c) {
            assertThat(c.projects().map(Project::id).collectList().block()).containsExactly("DEMO");
        }
    }

    // ------------------------------------------------------------------ builder validation

    @Test
    void buildWithoutServerUrlFailsClearly() {
        assertThatThrownBy(() -> XnatClient.builder()
                        .credentials(Credentials.password("admin", PASSWORD))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("server URL");
    }

    @Test
    void buildWithoutCredentialsFailsClearly() {
        assertThatThrownBy(() -> XnatClient.builder().serverUrl(base()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("credentials");
    }

    @Test
    void environmentWithoutAnythingFailsClearly() {
        assertThatThrownBy(() -> XnatClient.builder()
                        .environment(Map.of(), home)
                        .fromEnvironment()
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("XNAT_HOST");
    }

    @Test
    void serverUrlIsNormalised() {
        assertThat(url("https://xnat.example.org")).isEqualTo("https://xnat.example.org");
        assertThat(url("https://xnat.example.org/")).isEqualTo("https://xnat.example.org");
        assertThat(url("https://xnat.example.org/data")).isEqualTo("https://xnat.example.org");
        assertThat(url("https://xnat.example.org/data/")).isEqualTo("https://xnat.example.org");
        assertThat(url("https://xnat.example.org/xnat")).isEqualTo("https://xnat.example.org/xnat");
        assertThat(url("https://xnat.example.org/xnat//")).isEqualTo("https://xnat.example.org/xnat");
        assertThat(url("https://xnat.example.org/xnat/data/")).isEqualTo("https://xnat.example.org/xnat");
        assertThat(url("https://xnat.example.org/xnat/REST")).isEqualTo("https://xnat.example.org/xnat");
        assertThat(url("xnat.example.org:8443")).isEqualTo("https://xnat.example.org:8443");
        // a context path that merely ends in "data" is not the /data prefix
        assertThat(url("https://xnat.example.org/metadata")).isEqualTo("https://xnat.example.org/metadata");
    }

    private static String url(String u) {
        try (XnatClient c = XnatClient.builder()
                .serverUrl(u)
                .credentials(Credentials.anonymous())
                .build()) {
            return c.serverUrl();
        }
    }

    @Test
    void trailingSlashAndDataSuffixReachTheSameServer() {
        for (String u : new String[] {base() + "/", base() + "/data", base() + "/data/"}) {
            assertListsDemo(XnatClient.builder()
                    .serverUrl(u)
                    .credentials(Credentials.password("admin", PASSWORD))
                    .build());
        }
    }

    @Test
    void contextPathIsKeptInEveryRequest() {
        try (StubServer stub = StubServer.answering(200, "application/json", "{\"ResultSet\":{\"Result\":[]}}")) {
            for (String u :
                    new String[] {stub.baseUrl() + "/xnat", stub.baseUrl() + "/xnat/", stub.baseUrl() + "/xnat/data"}) {
                try (XnatClient c = XnatClient.builder()
                        .serverUrl(u)
                        .credentials(Credentials.password("admin", PASSWORD))
                        .build()) {
                    assertThat(c.serverUrl()).isEqualTo(stub.baseUrl() + "/xnat");
                    assertThat(c.projects().collectList().block()).isEmpty();
                }
            }
            assertThat(stub.count("GET /xnat/data/JSESSION")).isEqualTo(3);
            assertThat(stub.count("GET /xnat/data/projects")).isEqualTo(3);
            assertThat(stub.count("GET /data/projects")).isZero();
        }
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> XnatClient.builder().serverUrl("https://admin:" + PASSWORD + "@xnat.example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credentials")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> XnatClient.builder().serverUrl("ftp://xnat.example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http");
    }

    // ------------------------------------------------------------------ environment, netrc

    @Test
    void environmentVariablesConfigureTheClient() {
        assertListsDemo(XnatClient.builder()
                .environment(Map.of("XNAT_HOST", base(), "XNAT_USER", "admin", "XNAT_PASS", PASSWORD), home)
                .fromEnvironment()
                .build());
    }

    @Test
    void explicitSettingsWinOverTheEnvironment() {
        assertListsDemo(XnatClient.builder()
                .serverUrl(base())
                .credentials(Credentials.password("admin", PASSWORD))
                .environment(Map.of("XNAT_HOST", "https://elsewhere.invalid", "XNAT_USER", "x", "XNAT_PASS", "y"), home)
                .fromEnvironment()
                .build());
    }

    @Test
    void netrcMachineEntryForTheHostGivesTheCredentials() throws Exception {
        Files.writeString(
                home.resolve(".netrc"),
                "machine other.example.org login bob password nope\n"
                        + "# comment\n"
                        + "machine 127.0.0.1\n  login admin\n  password " + PASSWORD + "\n"
                        + "default login guest password guest\n");
        assertListsDemo(XnatClient.builder()
                .environment(Map.of("XNAT_HOST", base()), home)
                .fromEnvironment()
                .build());
    }

    @Test
    void netrcDefaultEntryIsTheFallback() throws Exception {
        Files.writeString(
                home.resolve(".netrc"),
                "machine other.example.org login bob password nope\ndefault login admin password " + PASSWORD + "\n");
        assertListsDemo(XnatClient.builder()
                .environment(Map.of("XNAT_HOST", base()), home)
                .fromEnvironment()
                .build());
    }

    @Test
    void netrcWithoutAMatchingEntryLeavesNoCredentials() throws Exception {
        Files.writeString(home.resolve(".netrc"), "machine other.example.org login bob password nope\n");
        assertThatThrownBy(() -> XnatClient.builder()
                        .environment(Map.of("XNAT_HOST", base()), home)
                        .fromEnvironment()
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("credentials");
    }

    @Test
    void environmentUserWithoutPasswordFallsBackToNetrc() throws Exception {
        Files.writeString(home.resolve(".netrc"), "machine 127.0.0.1 login admin password " + PASSWORD + "\n");
        assertListsDemo(XnatClient.builder()
                .environment(Map.of("XNAT_HOST", base(), "XNAT_USER", "admin"), home)
                .fromEnvironment()
                .build());
    }

    // ------------------------------------------------------------------ pyxnat config

    @Test
    void pyxnatConfigFile() throws Exception {
        Path cfg = home.resolve("xnat.cfg");
        Files.writeString(
                cfg, "{\"server\": \"" + base() + "\", \"user\": \"admin\", \"password\": \"" + PASSWORD + "\"}");
        assertListsDemo(XnatClient.builder().pyxnatConfig(cfg).build());
    }

    @Test
    void missingPyxnatConfigFileFailsClearly() {
        Path cfg = home.resolve("absent.cfg");
        assertThatThrownBy(() -> XnatClient.builder().pyxnatConfig(cfg))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining(cfg.toString());
    }

    @Test
    void pyxnatConfigThatIsNotJsonFailsWithoutEchoingItsContent() throws Exception {
        Path cfg = home.resolve("broken.cfg");
        Files.writeString(cfg, "{\"server\": \"" + base() + "\", \"password\": \"" + PASSWORD + "\", ");
        assertThatThrownBy(() -> XnatClient.builder().pyxnatConfig(cfg))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Not a pyxnat JSON configuration file")
                .satisfies(e -> assertThat(chain(e)).doesNotContain(PASSWORD));
        Path array = home.resolve("array.cfg");
        Files.writeString(array, "[1, 2]");
        assertThatThrownBy(() -> XnatClient.builder().pyxnatConfig(array))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Not a pyxnat JSON configuration file");
    }

    static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t).append('\n');
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ no secret in toString

    @Test
    void toStringNeverShowsASecret() throws Exception {
        assertThat(Credentials.password("admin", PASSWORD).toString())
                .contains("admin")
                .doesNotContain(PASSWORD);
        assertThat(Credentials.aliasToken("alias-uuid-1234", PASSWORD).toString())
                .doesNotContain(PASSWORD);
        assertThat(Credentials.sessionId("SESSIONIDVALUE42").toString()).doesNotContain("SESSIONIDVALUE42");
        try (XnatClient c = XnatClient.builder()
                .serverUrl(base())
                .credentials(Credentials.password("admin", PASSWORD))
                .trustStore(home.resolve("ts.p12"), "TrustStorePw".toCharArray(), "PKCS12")
                .proxy("proxy.example.org", 3128, "proxyuser", "ProxyPw")
                .build()) {
            assertThat(c.toString()).doesNotContain(PASSWORD);
            String cfg = c.transport().config().toString();
            assertThat(cfg).contains(base()).doesNotContain(PASSWORD, "TrustStorePw", "ProxyPw");
            assertThat(c.transport().config().auth().toString()).doesNotContain(PASSWORD);
        }
        Path f = home.resolve("x.cfg");
        Files.writeString(
                f, "{\"server\": \"" + base() + "\", \"user\": \"admin\", \"password\": \"" + PASSWORD + "\"}");
        assertThat(ConfigSources.pyxnatConfig(f).toString()).doesNotContain(PASSWORD);
        assertThat(ConfigSources.environment(Map.of("XNAT_PASS", PASSWORD)).toString())
                .doesNotContain(PASSWORD);
    }

    @Test
    void closingTwiceIsHarmless() {
        XnatClient c = XnatClient.builder()
                .serverUrl(base())
                .credentials(Credentials.password("admin", PASSWORD))
                .build();
        c.close();
        c.close();
        assertThat(Mono.from(c.closeAsync()).block()).isNull();
    }
}
