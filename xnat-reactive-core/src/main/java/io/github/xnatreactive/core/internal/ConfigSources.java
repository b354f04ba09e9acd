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

    /** pyxnat's JSON config: {@code {"server": ..., "user": ..., "password": ..., "verify": ...}}. */
    public static Found pyxnatConfig(Path file) throws IOException {
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
        return new Found(text(root, "server"), text(root, "user"), text(root, "password"), verify);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : blankToNull(v.asString());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
