package io.github.xnatreactive.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Percent-encoding of path segments and query parameters, and redaction for messages. */
public final class Uris {
    private static final Set<String> SECRET_PARAMS =
            Set.of("password", "pass", "secret", "token", "alias", "jsessionid", "xnat_csrf", "csrf");

    private Uris() {}

    /**
     * Encodes one path segment (a '/' inside it is encoded too). {@code .} and {@code ..} are refused: encoding
     * leaves them as they are, so they would climb the URL ({@code /data/projects/../experiments}).
     */
    public static String segment(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("A path segment must not be empty");
        }
        if (s.equals(".") || s.equals("..")) {
            throw new IllegalArgumentException("'" + s + "' is not a valid XNAT ID or label");
        }
        return encode(s, false);
    }

    /**
     * The URL with its user info (anything before the last {@code @}) replaced by {@code ***}, whether the URL
     * parses or not, for messages: {@code http://***@host:8080}.
     */
    public static String withoutUserInfo(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        return at < start ? url : url.substring(0, start) + "***@" + url.substring(at + 1);
    }

    /**
     * The first segment of a relative file path that cannot be used ('' for an empty one, {@code .}, {@code ..}),
     * or null when every segment is a name. A leading '/' makes an empty first segment.
     */
    public static String badSegment(String path) {
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                return seg;
            }
        }
        return null;
    }

    /** Encodes a relative file path, keeping its '/' separators. Rejects empty, '.' and '..' segments. */
    public static String filePath(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("A file path must not be empty");
        }
        if (badSegment(path) != null) {
            throw new IllegalArgumentException("Invalid file path (empty, '.' or '..' segment): " + path);
        }
        StringBuilder b = new StringBuilder();
        for (String seg : path.split("/", -1)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(encode(seg, false));
        }
        return b.toString();
    }

    public static String queryComponent(String s) {
        return encode(s, true);
    }

    private static String encode(String s, boolean query) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~';
            boolean pathSafe = !query
                    && (c == '!' || c == '$' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ','
                            || c == ';' || c == '=' || c == ':' || c == '@');
            boolean querySafe = query && (c == ':' || c == '/' || c == ',' || c == '*' || c == '@' || c == '!');
            if (unreserved || pathSafe || querySafe) {
                b.append((char) c);
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    /** {@code ?a=b&c=d}, or "" when there are no parameters. */
    public static String query(List<Map.Entry<String, String>> params, boolean redact) {
        if (params.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("?");
        for (Map.Entry<String, String> e : params) {
            if (b.length() > 1) {
                b.append('&');
            }
            b.append(queryComponent(e.getKey())).append('=');
            boolean secret = redact && SECRET_PARAMS.contains(e.getKey().toLowerCase(Locale.ROOT));
            b.append(secret ? "***" : queryComponent(e.getValue()));
        }
        return b.toString();
    }
}
