package io.github.xnatreactive.spring.boot;

import io.github.xnatreactive.core.XnatClient;

/**
 * Changes the {@link XnatClient.Builder} of the auto-configured client after the {@code xnat.*} properties are
 * applied: declare one as a bean, e.g. to set a proxy or a scheduler, which have no property. Customizers run in
 * their {@code @Order}.
 */
@FunctionalInterface
public interface XnatClientBuilderCustomizer {
    /**
     * Changes the builder.
     *
     * @param builder the builder, with the properties applied
     */
    void customize(XnatClient.Builder builder);
}
