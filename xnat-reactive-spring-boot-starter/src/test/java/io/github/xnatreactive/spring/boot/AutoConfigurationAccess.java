package io.github.xnatreactive.spring.boot;

import io.github.xnatreactive.core.Credentials;

/** Test access to the auto-configuration's package-private helpers. */
final class AutoConfigurationAccess {
    private AutoConfigurationAccess() {}

    static Credentials credentials(XnatProperties p) {
        return XnatAutoConfiguration.credentials(p);
    }
}
