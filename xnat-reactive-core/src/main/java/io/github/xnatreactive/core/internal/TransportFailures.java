package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatException;
import io.github.xnatreactive.core.XnatTransportException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;

/** What counts as "no HTTP answer", and the {@code Retry-After} header. */
final class TransportFailures {
    private TransportFailures() {}

    /**
     * A failure below HTTP (refused, reset, closed early, timed out, TLS) that the SDK reports as an
     * {@link XnatTransportException}; the SDK's own exceptions pass as they are.
     */
    static boolean isTransportFailure(Throwable t) {
        return !(t instanceof XnatException)
                && (t instanceof IOException
                        || t instanceof java.net.ConnectException
                        || t instanceof io.netty.channel.ConnectTimeoutException
                        || t instanceof io.netty.handler.timeout.ReadTimeoutException
                        || t instanceof TimeoutException
                        || t instanceof reactor.netty.http.client.PrematureCloseException
                        // ENOTCONN from the kernel on a read: the connection is gone, as with a reset (seen on
                        // loopback under load); an IllegalStateException in Java's hierarchy, not an IOException
                        || t instanceof java.nio.channels.NotYetConnectedException);
    }

    /** The wait a {@code Retry-After} header asks for (seconds or an HTTP date), null when absent or unreadable. */
    static Duration parseRetryAfter(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime t = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(Instant.now(), t.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }
}
