/**
 * Micrometer for xnat-reactive: {@link io.github.xnatreactive.micrometer.XnatMicrometer} turns the client's events
 * and the bulk engine's transfer events into timers, counters, gauges and observations (spans).
 */
package io.github.xnatreactive.micrometer;
