package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The standalone entry point, the seed and fault specs, and the JUnit extension. */
class StandaloneAndSpecsTest {

    private record Run(int code, String out, String err) {}

    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsEveryFlagAndExitsZero() {
        for (String flag : List.of("--help", "-h")) {
            Run r = main(flag);
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out())
                    .startsWith("Usage:")
                    .contains(
                            "--port",
                            "--host",
                            "--data",
                            "--user",
                            "--seed",
                            "--faults",
                            "--session-timeout",
                            "--site-id",
                            "--help");
            for (String fault : List.of(
                    "drop=",
                    "drop-after=",
                    "error=",
                    "unavailable=",
                    "retry-after=",
                    "latency=",
                    "expire-sessions=",
                    "seed=")) {
                assertThat(r.out()).contains(fault);
            }
        }
        // --help wins even after other options, without starting a server
        assertThat(main("--port", "0", "--help").code()).isZero();
    }

    @Test
    void badArgumentsExitTwoWithAClearMessage() {
        record Case(List<String> args, String message) {}
        for (Case c : List.of(
                new Case(List.of("--bogus"), "Unknown option: --bogus"),
                new Case(List.of("--port"), "--port needs a value"),
                new Case(List.of("--port", "eighty"), "--port"),
                new Case(List.of("--port", "70000"), "port out of range"),
                new Case(List.of("--user", "nocolon"), "--user takes NAME:PASSWORD"),
                new Case(List.of("--user-profile", "alice:Alice"), "--user-profile takes LOGIN:FIRST:LAST:EMAIL"),
                new Case(List.of("--user-profile", "nobody:N:B:n@x"), "--user-profile for a login no --user gives"),
                new Case(List.of("--seed", "DEMO"), "Bad seed spec 'DEMO'"),
                new Case(List.of("--seed", "DEMO:1x1x1x1x10"), "at least 132 bytes"),
                new Case(List.of("--faults", "drop=2"), "drop must be a fraction between 0 and 1"),
                new Case(List.of("--faults", "boom=1"), "Unknown fault 'boom'"),
                new Case(List.of("--faults", "latency=soon"), "Bad duration 'soon'"),
                new Case(List.of("--session-timeout", "forever"), "Bad duration 'forever'"),
                new Case(List.of("--site-id", "no spaces"), "Bad site ID"))) {
            Run r = main(c.args().toArray(String[]::new));
            assertThat(r.code()).as("%s", c.args()).isEqualTo(2);
            assertThat(r.out()).as("%s", c.args()).isEmpty();
            assertThat(r.err())
                    .as("%s", c.args())
                    .startsWith("error: ")
                    .contains(c.message())
                    .contains("--help");
        }
    }

    @Test
    void seedSpecParsesTheCommandLineForm() {
        SeedSpec s = SeedSpec.parse("DEMO:2x3x4x10x64K");
        assertThat(s).isEqualTo(new SeedSpec("DEMO", 2, 3, 4, 10, 64 * 1024));
        assertThat(s.totalFiles()).isEqualTo(240);
        assertThat(SeedSpec.parse(" P_1-a:1x1x1x1x1M ").fileSize()).isEqualTo(1024 * 1024);
        assertThat(SeedSpec.parse("P:0x0x0x0x200").totalFiles()).isZero();
        assertThat(SeedSpec.parseSize("2G")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(SeedSpec.parseSize("3k")).isEqualTo(3072);
        assertThat(SeedSpec.parseSize("77")).isEqualTo(77);
    }

    @Test
    void seedSpecRejectsBadInput() {
        for (String bad : List.of(
                "", "DEMO", "DEMO:1x1x1x1", "DEMO:1x1x1x1x1x1", "bad id:1x1x1x1x1K", "P:ax1x1x1x1K", "P:1x1x1x1x1T")) {
            assertThatThrownBy(() -> SeedSpec.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Bad seed spec")
                    .hasMessageContaining("PROJECT:SUBJECTSxSESSIONSxSCANSxFILESxBYTES");
        }
        assertThatThrownBy(() -> SeedSpec.parse("P:1x1x1x1x131"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("132");
        assertThatThrownBy(() -> new SeedSpec("P", -1, 1, 1, 1, 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new SeedSpec("a/b", 1, 1, 1, 1, 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad project ID");
    }

    @Test
    void faultSpecParsesEveryKey() {
        FaultSpec f = FaultSpec.parse(
                "drop=0.05, drop-after=64K,error=0.1,unavailable=0.02,retry-after=3,latency=5ms,expire-sessions=30s,seed=42");
        assertThat(f.dropRate()).isEqualTo(0.05);
        assertThat(f.dropAfterBytes()).isEqualTo(65536);
        assertThat(f.errorRate()).isEqualTo(0.1);
        assertThat(f.unavailableRate()).isEqualTo(0.02);
        assertThat(f.retryAfterSeconds()).isEqualTo(3);
        assertThat(f.latency()).isEqualTo(Duration.ofMillis(5));
        assertThat(f.expireSessionsEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(f.seed()).isEqualTo(42);

        FaultSpec none = FaultSpec.parse("");
        assertThat(none).isSameAs(FaultSpec.none());
        assertThat(none.dropRate()).isZero();
        assertThat(none.expireSessionsEvery()).isNull();
        assertThat(none.latency()).isEqualTo(Duration.ZERO);
        assertThat(FaultSpec.parse("  ")).isSameAs(FaultSpec.none());
        assertThat(FaultSpec.parse("DROP=1").dropRate()).isEqualTo(1.0);

        assertThat(FaultSpec.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(FaultSpec.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(FaultSpec.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(FaultSpec.parseDuration("1500")).isEqualTo(Duration.ofMillis(1500));

        // with* methods return new specs and leave the original alone
        FaultSpec g = f.errorRate(0.5);
        assertThat(g.errorRate()).isEqualTo(0.5);
        assertThat(f.errorRate()).isEqualTo(0.1);
        assertThat(g.seed()).isEqualTo(42);
    }

    @Test
    void faultSpecRejectsBadInput() {
        record Case(String spec, String message) {}
        for (Case c : List.of(
                new Case("drop", "Expected key=value"),
                new Case("=1", "Expected key=value"),
                new Case("drop=lots", "Bad value for fault 'drop'"),
                new Case("error=1.5", "error must be a fraction between 0 and 1"),
                new Case("unavailable=-0.1", "unavailable must be a fraction"),
                new Case("drop=NaN", "drop must be a fraction"),
                new Case("retry-after=-1", "retry-after must be >= 0"),
                new Case("drop-after=-5", "drop-after must be >= 0"),
                new Case("latency=-5ms", "latency must be >= 0"),
                new Case("expire-sessions=0s", "expire-sessions must be > 0"),
                new Case("seed=x", "Bad value for fault 'seed'"),
                new Case("teleport=1", "Unknown fault 'teleport'"))) {
            assertThatThrownBy(() -> FaultSpec.parse(c.spec()))
                    .as(c.spec())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c.message());
        }
        assertThatThrownBy(() -> FaultSpec.parseDuration("5 parsecs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad duration");
    }

    @Test
    void extensionLifecycleStartsAndStopsTheServer() {
        XnatTestServerExtension ext = LifecycleFixture.ext;
        assertThatThrownBy(ext::server).isInstanceOf(IllegalStateException.class);
        org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(LifecycleFixture.class))
                .configurationParameter(InfrastructureTest.RUN_FIXTURES, "true")
                .execute()
                .testEvents()
                .assertStatistics(st -> st.succeeded(1).failed(0));
        TestHttp http = LifecycleFixture.http;
        assertThat(LifecycleFixture.status).isEqualTo(200);
        assertThat(LifecycleFixture.admin).isEqualTo("u");
        assertThatThrownBy(ext::server).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> http.get("/data/auth")).isInstanceOf(java.io.UncheckedIOException.class);
    }

    /** Run by {@link #extensionLifecycleStartsAndStopsTheServer} only: what it saw while the server ran. */
    @org.junit.jupiter.api.extension.ExtendWith(InfrastructureTest.OnlyThroughEngineTestKit.class)
    static class LifecycleFixture {
        @RegisterExtension
        static XnatTestServerExtension ext = new XnatTestServerExtension(b -> b.user("u", "p"));

        static TestHttp http;
        static int status;
        static String admin;

        @Test
        void serves() {
            XnatTestServer s = ext.server();
            http = new TestHttp(s.baseUrl(), "u", "p", false);
            status = http.get("/data/auth").statusCode();
            admin = s.adminUser();
        }
    }

    /** The extension with defaults, injecting the server into test methods. */
    @Nested
    @ExtendWith(XnatTestServerExtension.class)
    class InjectedServer {
        private static XnatTestServer first;

        @Test
        void injectsARunningServerWithTheDefaultAdmin(XnatTestServer xnat) {
            assertThat(xnat.adminUser()).isEqualTo("admin");
            assertThat(xnat.adminPassword()).isEqualTo("admin");
            assertThat(xnat.baseUrl()).startsWith("http://127.0.0.1:");
            HttpResponse<byte[]> r = new TestHttp(xnat).get("/data/projects?format=json");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(TestHttp.rows(r)).isEmpty();
            assertThat(new TestHttp(xnat).put("/data/projects/INJ").statusCode())
                    .isEqualTo(200);
            sameServer(xnat);
        }

        @Test
        void sharesOneServerAcrossTheClassTests(XnatTestServer xnat) {
            assertThat(xnat.dataDir()).isDirectory();
            sameServer(xnat);
        }

        private static synchronized void sameServer(XnatTestServer xnat) {
            if (first == null) {
                first = xnat;
            } else {
                assertThat(xnat).isSameAs(first);
            }
        }
    }
}
