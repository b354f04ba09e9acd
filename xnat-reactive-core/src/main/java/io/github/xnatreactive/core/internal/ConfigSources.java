package io.github.xnatreactive.core.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads connection settings from what users already have: environment, {@code ~/.netrc}, pyxnat's config file. */
public final class ConfigSources {
    private ConfigSources() {}

    /** Server, user and password (each may be null) found in one source. */
    public record Found(String server, String user, String password, Boolean verify) {
        @Override
        public String toString() {
            return "Found[server=" + server + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                    + ", verify=" + verify + "]";
        }
    }

    /** {@code XNAT_HOST}, {@code XNAT_USER}, {@code XNAT_PASS}. */
    public static Found environment(Map<String, String> env) {
        return new Found(
                blankToNull(env.get("XNAT_HOST")),
                blankToNull(env.get("XNAT_USER")),
                blankToNull(env.get("XNAT_PASS")),
                null);
    }

    /**
     * The login and password of the {@code machine} entry for the server's host in a netrc file (or the
     * {@code default} entry), or null when the file or the entry is missing.
     */
    public static Found netrc(Path file, String serverUrl) throws IOException {
        if (file == null || !Files.isRegularFile(file) || serverUrl == null) {
            return null;
        }
        String host = host(serverUrl);
        List<String> tokens = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.startsWith("#")) {
                continue;
            }
            for (String tok : t.split("\\s+")) {
                if (!tok.isEmpty()) {
                    tokens.add(tok);
                }
            }
        }
        Found fallback = null;
        for (int i = 0; i < tokens.size(); i++) {
            String tok = tokens.get(i);
            boolean machine = tok.equals("machine") && i + 1 < tokens.size();
            boolean isDefault = tok.equals("default");
            if (!machine && !isDefault) {
                continue;
            }
            String name = machine ? tokens.get(++i) : null;
            String login = null;
            String password = null;
            while (i + 1 < tokens.size()
                    && !tokens.get(i + 1).equals("machine")
                    && !tokens.get(i + 1).equals("default")) {
                String key = tokens.get(++i);
                String value = i + 1 < tokens.size() ? tokens.get(++i) : null;
                if (key.equals("login")) {
                    login = value;
                } else if (key.equals("password")) {
                    password = value;
                }
            }
            if (machine && name.equalsIgnoreCase(host)) {
                return new Found(null, login, password, null);
            }
            if (isDefault) {
                fallback = new Found(null, login, password, null);
            }
        }
        return fallback;
    }

    /** The host of a server URL (with or without a scheme); never echoes the URL's user info. */
    static String host(String serverUrl) {
        String u = serverUrl.contains("://") ? serverUrl : "https://" + serverUrl;
        try {
            URI uri = new URI(u);
            String host = uri.getHost();
            if (host == null && uri.getRawAuthority() != null) {
                host = uri.getRawAuthority().replaceFirst("^.*@", "").replaceFirst(":[0-9]*$", "");
            }
            return host;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(
                    "Not a valid server URL (" + e.getReason() + "): " + Uris.withoutUserInfo(serverUrl));
        }
    }

    /**
     * pyxnat's JSON config: {@code {"server", "user", "password", "verify", "proxy"}}; {@code proxy} is a URL such
     * as {@code http://user:pw@host:3128}.
     */
    public record PyxnatConfig(String server, String user, String password, Boolean verify, String proxy) {
        @Override
        public String toString() {
            return "PyxnatConfig[server=" + server + ", user=" + user + ", password="
                    + (password == null ? "none" : "***") + ", verify=" + verify + ", proxy="
                    + (proxy == null ? "none" : proxyUrl(proxy).host()) + "]";
        }
    }

    /** The parts of a proxy URL; the port defaults to the scheme's (80 for http, 443 for https). */
    public record ProxyUrl(String host, int port, String user, String password) {
        @Override
        public String toString() {
            return "ProxyUrl[" + host + ":" + port + (user == null ? "" : ", user=" + user) + "]";
        }
    }

    /** Parses pyxnat's {@code proxy} value, {@code http://[user[:password]@]host[:port]}. */
    public static ProxyUrl proxyUrl(String url) {
        URI u;
        try {
            u = URI.create(url.contains("://") ? url : "http://" + url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a proxy URL (http://[user:password@]host:port)", e);
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("Not a proxy URL (http://[user:password@]host:port): no host");
        }
        int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        String user = null;
        String password = null;
        String info = u.getUserInfo(); // decoded
        if (info != null) {
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            password = colon < 0 ? null : info.substring(colon + 1);
        }
        return new ProxyUrl(u.getHost(), port, user, password);
    }

    /** {@code ~} or {@code ~/...} at the start of a path is the home directory, as pyxnat's expanduser makes it. */
    public static Path expandHome(Path file, Path home) {
        if (file.getNameCount() > 0
                && !file.isAbsolute()
                && file.getName(0).toString().equals("~")) {
            return file.getNameCount() == 1 ? home : home.resolve(file.subpath(1, file.getNameCount()));
        }
        return file;
    }

    /** Reads pyxnat's JSON config file. */
    public static PyxnatConfig pyxnatConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Configuration file does not exist: " + file);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (RuntimeException e) {
            throw new IOException("Not a pyxnat JSON configuration file: " + file, e);
        }
        if (!root.isObject()) {
            throw new IOException("Not a pyxnat JSON configuration file: " + file);
        }
        Boolean verify = root.has("verify") && root.get("verify").isBoolean()
                ? root.get("verify").asBoolean()
                : null;
        return new PyxnatConfig(
                text(root, "server"), text(root, "user"), text(root, "password"), verify, text(root, "proxy"));
    }

    /**
     * Writes pyxnat's JSON config file: missing folders are created, the file is readable by its owner only (where
     * the file system has POSIX permissions) and replaces an existing one only once fully written.
     */
    public static void writePyxnatConfig(Path file, PyxnatConfig config) throws IOException {
        tools.jackson.databind.node.ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("server", config.server());
        root.put("user", config.user());
        root.put("password", config.password());
        if (config.verify() != null) {
            root.put("verify", config.verify());
        }
        if (config.proxy() != null) {
            root.put("proxy", config.proxy());
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            if (Files.getFileStore(tmp)
                    .supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(
                        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(tmp, root.toString(), java.nio.charset.StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : blankToNull(v.asString());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
