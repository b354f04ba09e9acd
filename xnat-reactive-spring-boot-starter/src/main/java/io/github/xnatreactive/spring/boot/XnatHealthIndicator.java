package io.github.xnatreactive.spring.boot;

import io.github.xnatreactive.core.XnatClient;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The health of the XNAT server as the client sees it: UP when the server answers and the client's login is
 * accepted (it asks for the server's version, which needs the session), with the URL and the version as details;
 * DOWN with the error otherwise. Shown as {@code xnat} in {@code /actuator/health}. Error messages of the client
 * never hold a password or a token.
 */
public class XnatHealthIndicator implements ReactiveHealthIndicator {
    private final XnatClient client;
    private final Duration timeout;

    /**
     * The indicator.
     *
     * @param client the client whose server and login are checked
     * @param timeout the longest a check may take before the server counts as DOWN
     */
    public XnatHealthIndicator(XnatClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Mono<Health> health() {
        return client.version()
                .timeout(timeout)
                .map(v -> Health.up()
                        .withDetail("url", client.serverUrl())
                        .withDetail("version", v)
                        .build())
                .onErrorResume(e -> Mono.just(
                        Health.down(e).withDetail("url", client.serverUrl()).build()));
    }
}
