package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What the server tells about itself: its build, how long it has been up, its plugins, and the scanners and scan
 * types its sessions name. Made with {@link XnatClient#serverInfo()}; no I/O until a method's result is subscribed.
 * These are XNAT's own calls: {@code /xapi/siteConfig/buildInfo}, {@code /xapi/siteConfig/uptime},
 * {@code /xapi/plugins}, {@code /data/archive/scanners} and {@code /data/archive/scan_types}.
 *
 * <pre>{@code
 * ServerInfo info = xnat.serverInfo();
 * String commit = info.buildInfo().block().get("commit");
 * Duration up = info.uptime().block();
 * List<String> types = info.scanTypes().collectList().block(); // e.g. [T1w, T2w]
 * }</pre>
 */
public final class ServerInfo {
    private final XnatClient client;

    ServerInfo(XnatClient client) {
        this.client = client;
    }

    /**
     * The server's full build information, {@code GET /xapi/siteConfig/buildInfo}: {@code version},
     * {@code buildNumber}, {@code buildDate}, {@code sha}, {@code commit}, {@code tag}, {@code branch},
     * {@code timestamp} and whatever else the build recorded.
     *
     * @return every entry, in the server's order, each value as text; {@link XnatProtocolException} when the reply
     *     is not a JSON object
     */
    public Mono<Map<String, String>> buildInfo() {
        return object("/xapi/siteConfig/buildInfo").map(n -> {
            Map<String, String> out = new LinkedHashMap<>();
            n.properties()
                    .forEach(e -> out.put(
                            e.getKey(),
                            e.getValue().isValueNode()
                                    ? e.getValue().asString()
                                    : e.getValue().toString()));
            return out;
        });
    }

    /**
     * How long the server has been running, from {@code GET /xapi/siteConfig/uptime} (XNAT answers days, hours,
     * minutes and seconds).
     *
     * @return the uptime, to the second; {@link XnatProtocolException} when a unit is missing or not a number
     */
    public Mono<Duration> uptime() {
        return object("/xapi/siteConfig/uptime").map(n -> Duration.ofDays(unit(n, "days"))
                .plusHours(unit(n, "hours"))
                .plusMinutes(unit(n, "minutes"))
                .plusSeconds(unit(n, "seconds")));
    }

    /**
     * The server's installed plugins, {@code GET /xapi/plugins}: each plugin's properties ({@code id},
     * {@code name}, {@code version}, {@code pluginClass}, {@code beanName}...) keyed by its ID.
     *
     * @return the plugins by ID; empty when none is installed
     */
    public Mono<Map<String, JsonNode>> plugins() {
        return object("/xapi/plugins").map(n -> {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /**
     * The scanners named by the site's MR sessions ({@code GET /data/archive/scanners}).
     *
     * @return each distinct scanner name, as XNAT lists them
     */
    public Flux<String> scanners() {
        return scanners("xnat:mrSessionData");
    }

    /**
     * The scanners named by the site's sessions of one data type.
     *
     * @param sessionXsiType {@code xnat:mrSessionData}, {@code xnat:petSessionData} or {@code xnat:ctSessionData}
     *     (the types XNAT accepts here)
     * @return each distinct scanner name; {@link XnatForbiddenException} for a type XNAT does not list
     */
    public Flux<String> scanners(String sessionXsiType) {
        return client.rows("/data/archive/scanners", "/data/archive/scanners", Map.of("table", table(sessionXsiType)))
                .map(r -> r.getOrDefault("scanner", ""));
    }

    /**
     * The scan types of the site's MR scans ({@code GET /data/archive/scan_types}).
     *
     * @return each distinct scan type, sorted as XNAT sorts them
     */
    public Flux<String> scanTypes() {
        return scanTypes("xnat:mrScanData");
    }

    /**
     * The scan types of the site's scans of one data type.
     *
     * @param scanXsiType e.g. {@code xnat:mrScanData}, {@code xnat:petScanData}, {@code xnat:ctScanData}
     * @return each distinct scan type; {@link XnatForbiddenException} for a type XNAT does not list
     */
    public Flux<String> scanTypes(String scanXsiType) {
        return client.rows("/data/archive/scan_types", "/data/archive/scan_types", Map.of("table", table(scanXsiType)))
                .map(r -> r.getOrDefault("type", ""));
    }

    /** {@code xnat:mrScanData} is XNAT's table {@code xnat_mrScanData}. */
    private static String table(String xsiType) {
        if (xsiType == null || !xsiType.toLowerCase(Locale.ROOT).startsWith("xnat:")) {
            throw new IllegalArgumentException("An XNAT data type such as xnat:mrScanData is needed, not " + xsiType);
        }
        return "xnat_" + xsiType.substring("xnat:".length());
    }

    private Mono<JsonNode> object(String path) {
        return client.transport().json(Request.get(path).template(path).build()).map(n -> {
            if (!n.isObject()) {
                throw new XnatProtocolException(path + " did not answer a JSON object");
            }
            return n;
        });
    }

    private static long unit(JsonNode n, String name) {
        String v = n.path(name).asString("").strip();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new XnatProtocolException("uptime's " + name + " is not a number: '" + v + "'", e);
        }
    }

    /** Names the server only; no I/O. */
    /**
     * The names of the data-type schemas the server serves ({@code GET /xapi/schemas}).
     *
     * @return the names, e.g. {@code xnat}, {@code xdat}; each is read with {@link #schema(String)}
     */
    public Flux<String> schemas() {
        return client.transport().json(Request.get("/xapi/schemas").build()).flatMapIterable(Users::strings);
    }

    /**
     * One data-type schema ({@code GET /xapi/schemas/{name}}).
     *
     * @param name a name {@link #schemas()} lists
     * @return the XSD text; {@link XnatNotFoundException} when the server has no schema of that name
     */
    public Mono<String> schema(String name) {
        String path = "/xapi/schemas/" + io.github.xnatreactive.core.internal.Uris.segment(name);
        return client.transport()
                .text(Request.get(path).template("/xapi/schemas/{name}").build());
    }

    @Override
    public String toString() {
        return "ServerInfo[" + client.serverUrl() + "]";
    }
}
