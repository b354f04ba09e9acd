package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the event listener hears, and that a failing listener cannot break a call. */
class EventListenerTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x1x1x1K")));

    XnatClient client(XnatEventListener listener) {
        return XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .eventListener(listener)
                .build();
    }

    @Test
    void eachAttemptIsStartedAnsweredOrFailedWithItsTemplatedPath() {
        RecordingListener events = new RecordingListener();
        try (XnatClient c = client(events)) {
            assertThat(c.project("DEMO").subjects().count().block()).isEqualTo(2);
            assertThatThrownBy(() -> c.project("NOPE").subjects().blockLast())
                    .isInstanceOf(XnatNotFoundException.class);
        }
        assertThat(events.of(XnatEventListener.RequestStarted.class))
                .extracting(e -> e.method() + " " + e.path())
                .containsExactly(
                        "GET /data/JSESSION",
                        "GET /data/projects/{project}/subjects",
                        "GET /data/projects/{project}/subjects",
                        "DELETE /data/JSESSION");
        assertThat(events.of(XnatEventListener.ResponseReceived.class))
                .extracting(XnatEventListener.ResponseReceived::status)
                .containsExactly(200, 200, 404, 200);
        assertThat(events.of(XnatEventListener.RequestFailed.class))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.status()).isEqualTo(404);
                    assertThat(f.path()).isEqualTo("/data/projects/{project}/subjects");
                    assertThat(f.error()).isInstanceOf(XnatNotFoundException.class);
                    assertThat(f.attempt()).isEqualTo(1);
                });
        // paths are templates: no ID, no query (the error is the exception the caller sees, with its redacted URI)
        assertThat(events.of(XnatEventListener.RequestStarted.class))
                .noneMatch(e -> e.path().contains("DEMO")
                        || e.path().contains("NOPE")
                        || e.path().contains("?"));
    }

    @Test
    void aListenerThatThrowsIsIgnored() {
        XnatEventListener broken = new XnatEventListener() {
            @Override
            public void requestStarted(RequestStarted e) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void responseReceived(ResponseReceived e) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (XnatClient c = client(broken)) {
            assertThat(c.project("DEMO").subjects().count().block()).isEqualTo(2);
        }
    }
}
