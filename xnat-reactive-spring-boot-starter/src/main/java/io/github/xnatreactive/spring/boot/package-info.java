/**
 * Spring Boot auto-configuration of xnat-reactive: {@link io.github.xnatreactive.spring.boot.XnatAutoConfiguration}
 * makes an {@code XnatClient} and a {@code BulkClient} from the {@code xnat.*} properties
 * ({@link io.github.xnatreactive.spring.boot.XnatProperties}), with metrics and observations into the application's
 * registries, and {@link io.github.xnatreactive.spring.boot.XnatHealthAutoConfiguration} the {@code xnat} health
 * indicator.
 */
package io.github.xnatreactive.spring.boot;
