/**
 * Micrometer metrics and observations for xnat-reactive: {@link io.github.xnatreactive.micrometer.XnatMicrometer}.
 * Only {@code io.github.xnatreactive.micrometer} is API.
 */
module io.github.xnatreactive.micrometer {
    requires transitive io.github.xnatreactive.core;
    requires transitive io.github.xnatreactive.bulk;
    requires transitive micrometer.core;
    requires transitive micrometer.observation;
    requires micrometer.commons;

    exports io.github.xnatreactive.micrometer;
}
