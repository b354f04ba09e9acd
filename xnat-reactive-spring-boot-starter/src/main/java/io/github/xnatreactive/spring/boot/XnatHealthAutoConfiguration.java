package io.github.xnatreactive.spring.boot;

import io.github.xnatreactive.core.XnatClient;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code xnat} health indicator ({@link XnatHealthIndicator}) when the application has Spring Boot's health
 * support (the actuator brings it). Off with {@code management.health.xnat.enabled=false}.
 */
@AutoConfiguration(after = XnatAutoConfiguration.class)
@ConditionalOnClass(ReactiveHealthIndicator.class)
@ConditionalOnBean(XnatClient.class)
@ConditionalOnEnabledHealthIndicator("xnat")
public class XnatHealthAutoConfiguration {
    /** Made by Spring. */
    public XnatHealthAutoConfiguration() {}

    /**
     * The indicator.
     *
     * @param client the client whose server and login are checked
     * @return the indicator, shown as {@code xnat}
     */
    @Bean
    @ConditionalOnMissingBean(name = "xnatHealthIndicator")
    public XnatHealthIndicator xnatHealthIndicator(XnatClient client) {
        return new XnatHealthIndicator(client, Duration.ofSeconds(10));
    }
}
