package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

/** The one retry decision, as the client and the bulk engine ask it. */
class RetryPolicyTest {
    final RetryPolicy p = RetryPolicy.defaults().jitter(0);

    static XnatTransportException transport(String method, Throwable cause) {
        return new XnatTransportException(method, "/data/x", cause);
    }

    @Test
    void idempotentRequestsAreRetriedOnTransientStatusesOnly() {
        for (int s : new int[] {408, 429, 502, 503, 504}) {
            assertThat(p.retryable("GET", s, null)).as("GET %d", s).isTrue();
            assertThat(p.retryable("PUT", s, null)).as("PUT %d", s).isTrue();
            assertThat(p.retryable("POST", s, null)).as("POST %d", s).isFalse();
        }
        assertThat(p.retryable("GET", 500, null)).isTrue();
        assertThat(p.retryable("PUT", 500, null)).isFalse();
        for (int s : new int[] {400, 401, 403, 404, 409}) {
            assertThat(p.retryable("GET", s, null)).as("GET %d", s).isFalse();
        }
        // the status may come from the exception alone
        assertThat(p.retryable("GET", -1, XnatHttpException.of("GET", 503, "/data/x", "")))
                .isTrue();
        assertThat(p.retryable("GET", -1, XnatHttpException.of("GET", 404, "/data/x", "")))
                .isFalse();
    }

    @Test
    void transportFailuresAreRetriedWhenNothingOrOnlySafeRequestsWereSent() {
        XnatTransportException refused = transport("POST", new ConnectException("refused"));
        XnatTransportException reset = transport("POST", new IOException("Connection reset"));
        assertThat(p.retryable("POST", -1, refused)).isTrue();
        assertThat(p.retryable("POST", -1, reset)).isFalse();
        assertThat(p.retryable("GET", -1, reset)).isTrue();
        assertThat(p.retryable("GET", -1, transport("GET", PrematureCloseException.TEST_EXCEPTION)))
                .isTrue();
        // ENOTCONN on a pooled connection's read: gone like a reset, so retried when idempotent only
        XnatTransportException notConnected = transport("GET", new java.nio.channels.NotYetConnectedException());
        assertThat(p.retryable("GET", -1, notConnected)).isTrue();
        assertThat(p.retryable("POST", -1, transport("POST", new java.nio.channels.NotYetConnectedException())))
                .isFalse();
        assertThat(p.retryable("PUT", false, -1, reset)).isFalse();
        assertThat(p.retryable("GET", -1, transport("GET", new SSLHandshakeException("untrusted"))))
                .isFalse();
        assertThat(p.retryable("GET", -1, new XnatProtocolException("HTML page")))
                .isFalse();
    }

    @Test
    void integrityErrorsAreRetriedForDownloadsOnly() {
        XnatIntegrityException md5 = new XnatIntegrityException("MD5 mismatch", "a", "b");
        assertThat(p.retryable("GET", -1, md5)).isTrue();
        assertThat(p.retryable("PUT", -1, md5)).isFalse();
    }

    @Test
    void backpressureIsOverloadOrTimeout() {
        assertThat(p.isBackpressure(503, null)).isTrue();
        assertThat(p.isBackpressure(429, null)).isTrue();
        assertThat(p.isBackpressure(-1, XnatHttpException.of("GET", 504, "/data/x", "")))
                .isTrue();
        assertThat(p.isBackpressure(500, null)).isFalse();
        assertThat(p.isBackpressure(-1, transport("GET", io.netty.handler.timeout.ReadTimeoutException.INSTANCE)))
                .isTrue();
        assertThat(p.isBackpressure(-1, transport("GET", new IOException("reset"))))
                .isFalse();
    }

    @Test
    void delaysGrowHonourRetryAfterAndStopAtTheLimits() {
        assertThat(p.delayBeforeRetry(1, null)).contains(Duration.ofMillis(500));
        assertThat(p.delayBeforeRetry(3, null)).contains(Duration.ofSeconds(2));
        assertThat(p.delayBeforeRetry(4, null)).isEmpty(); // 4 attempts made of 4
        XnatHttpException busy = XnatHttpException.of("GET", 503, "/data/x", "", Duration.ofSeconds(7));
        assertThat(p.delayBeforeRetry(1, busy)).contains(Duration.ofSeconds(7));
        XnatHttpException tooLong = XnatHttpException.of("GET", 503, "/data/x", "", Duration.ofHours(1));
        assertThat(p.delayBeforeRetry(1, tooLong)).isEmpty();
        RetryPolicy jittered = RetryPolicy.defaults().jitter(0.5);
        for (int i = 0; i < 100; i++) {
            assertThat(jittered.delay(1, null)).isBetween(Duration.ofMillis(250), Duration.ofMillis(750));
        }
    }
}
