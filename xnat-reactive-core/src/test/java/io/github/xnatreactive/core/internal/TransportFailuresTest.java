package io.github.xnatreactive.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.XnatProtocolException;
import java.io.IOException;
import java.nio.channels.NotYetConnectedException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

/** What the error-mapping step reports as a transport failure (and so as an XnatTransportException). */
class TransportFailuresTest {
    @Test
    void failuresBelowHttpAreTransportFailuresAndProgrammingErrorsAreNot() {
        assertThat(TransportFailures.isTransportFailure(new IOException("Connection reset")))
                .isTrue();
        assertThat(TransportFailures.isTransportFailure(PrematureCloseException.TEST_EXCEPTION))
                .isTrue();
        // ENOTCONN on a read (Netty's epoll transport throws it for a connection that is gone): not an IOException
        // in Java's hierarchy, and it reached a CLI user raw before it was counted here
        assertThat(TransportFailures.isTransportFailure(new NotYetConnectedException()))
                .isTrue();
        assertThat(TransportFailures.isTransportFailure(new IllegalStateException("a bug")))
                .isFalse();
        assertThat(TransportFailures.isTransportFailure(new XnatProtocolException("HTML page")))
                .isFalse();
    }
}
