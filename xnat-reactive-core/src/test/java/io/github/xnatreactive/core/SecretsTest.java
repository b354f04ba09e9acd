package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import io.github.xnatreactive.core.internal.Transport;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SecretsTest {
    static final String PASSWORD = "Zq9-Very-Secret-Pw";
    static final String ALICE_PASSWORD = "Al1ce-Secret-Pw";
    static final String WRONG = "Wr0ng-Secret-Pw";

    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(
            b -> b.user("admin", PASSWORD).user("alice", ALICE_PASSWORD).seed(SeedSpec.parse("DEMO:2x1x1x1x1K")));

    static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The session ID the client holds now (read from the transport, which never shows it). */
    static String sessionId(XnatClient c) throws Exception {
        Field step = Transport.class.getDeclaredField("session");
        step.setAccessible(true);
        Object session = step.get(c.transport());
        Field f = session.getClass().getDeclaredField("login");
        f.setAccessible(true);
        Object login = ((AtomicReference<?>) f.get(session)).get();
        Field cookie = login.getClass().getDeclaredField("cookie");
        cookie.setAccessible(true);
        return (String) cookie.get(login);
    }

    @Test
    void noSecretInLogsMessagesOrToString() throws Exception {
        XnatTestServer server = xnat.server();
        RetryPolicy fast = RetryPolicy.defaults()
                .maxAttempts(10)
                .initialBackoff(Duration.ofMillis(2))
                .maxBackoff(Duration.ofMillis(10));
        Set<String> sessionIds = new LinkedHashSet<>();
        List<Throwable> errors = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        RecordingListener events = new RecordingListener();
        try (LogCapture log = new LogCapture(Level.TRACE, "io.github.xnatreactive", "reactor.netty")) {
            try (XnatClient admin = XnatClient.builder()
                            .serverUrl(server.baseUrl())
                            .credentials(Credentials.password("admin", PASSWORD))
                            .retryPolicy(fast)
                            .eventListener(events)
                            .build();
                    XnatClient alice = XnatClient.builder()
                            .serverUrl(server.baseUrl())
                            .credentials(Credentials.password("alice", ALICE_PASSWORD))
                            .build();
                    XnatClient wrong = XnatClient.builder()
                            .serverUrl(server.baseUrl())
                            .credentials(Credentials.password("admin", WRONG))
                            .eventListener(events)
                            .build()) {
                // login
                assertThat(admin.projects().count().block()).isEqualTo(1);
                sessionIds.add(sessionId(admin));
                // 401 and renewal
                server.expireSessions();
                assertThat(admin.project("DEMO").subjects().count().block()).isEqualTo(2);
                sessionIds.add(sessionId(admin));
                assertThat(sessionIds).hasSize(2);
                // retries
                server.faults(FaultSpec.parse("unavailable=0.5,retry-after=0,seed=11"));
                for (int i = 0; i < 6; i++) {
                    assertThat(admin.project("DEMO").subjects().count().block()).isEqualTo(2);
                }
                server.faults(FaultSpec.none());
                // failed login
                errors.add(catchThrowable(() -> wrong.projects().blockLast()));
                assertThat(errors.get(errors.size() - 1)).isInstanceOf(XnatAuthenticationException.class);
                // 403
                admin.project("DEMO").setAccessibility("protected").block();
                errors.add(catchThrowable(() ->
                        alice.project("DEMO").update(Map.of("description", "x")).block()));
                assertThat(errors.get(errors.size() - 1)).isInstanceOf(XnatForbiddenException.class);
                sessionIds.add(sessionId(alice));
                // a session ID that stopped working
                try (XnatClient borrowed = XnatClient.builder()
                        .serverUrl(server.baseUrl())
                        .credentials(Credentials.sessionId(sessionId(alice)))
                        .build()) {
                    server.expireSessions();
                    errors.add(catchThrowable(() -> borrowed.projects().blockLast()));
                    assertThat(errors.get(errors.size() - 1)).isInstanceOf(XnatAuthenticationException.class);
                    strings.add(borrowed.toString());
                    strings.add(borrowed.transport().config().toString());
                }
                strings.add(admin.toString());
                strings.add(admin.transport().config().toString());
                strings.add(wrong.transport().config().toString());
                strings.add(admin.transport().toString());
            }
            assertThat(log.count(Level.DEBUG, "retrying GET")).isPositive();
            assertThat(log.count(Level.DEBUG, "session rejected (401)")).isPositive();

            List<String> secrets = new ArrayList<>(List.of(
                    PASSWORD,
                    ALICE_PASSWORD,
                    WRONG,
                    basic("admin", PASSWORD),
                    basic("alice", ALICE_PASSWORD),
                    basic("admin", WRONG)));
            secrets.addAll(sessionIds);
            assertThat(sessionIds).hasSize(3).doesNotContainNull();

            // events carry templated paths and typed errors, never a secret
            assertThat(events.retries()).isNotEmpty();
            events.events.forEach(e -> strings.add(e.toString()));
            events.of(XnatEventListener.RequestFailed.class).forEach(e -> errors.add(e.error()));

            List<String> lines = log.lines();
            assertThat(lines).isNotEmpty();
            for (String secret : secrets) {
                assertThat(lines).as("log lines").noneMatch(l -> l.contains(secret));
                for (Throwable e : errors) {
                    assertThat(ConfigurationTest.chain(e)).as("exception").doesNotContain(secret);
                }
                assertThat(strings).as("toString").noneMatch(s -> s.contains(secret));
            }
        }
    }
}
