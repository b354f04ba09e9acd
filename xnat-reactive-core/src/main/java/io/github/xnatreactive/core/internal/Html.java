package io.github.xnatreactive.core.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the message out of XNAT's HTML error pages (Restlet's status page, Tomcat's error page). */
public final class Html {
    private static final Pattern H3 = Pattern.compile("<h3>(.*?)</h3>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern TOMCAT_MESSAGE =
            Pattern.compile("<b>Message</b>\\s*(.*?)</p>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern TITLE =
            Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern TAGS = Pattern.compile("<[^>]+>");

    private Html() {}

    /** Whether a body looks like an HTML page (what pyxnat checks, but ignoring case and leading space). */
    public static boolean looksLikeHtml(CharSequence body) {
        int i = 0;
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
            i++;
        }
        String head =
                body.subSequence(i, Math.min(body.length(), i + 15)).toString().toLowerCase(java.util.Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html");
    }

    /** The message of an error page, or a short excerpt of a non-HTML body; "" for an empty body. */
    public static String message(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        for (Pattern p : new Pattern[] {H3, TOMCAT_MESSAGE, TITLE}) {
            Matcher m = p.matcher(body);
            if (m.find()) {
                String text = unescape(TAGS.matcher(m.group(1)).replaceAll("")).strip();
                if (!text.isEmpty() && !text.equals("Apache Tomcat")) {
                    return text;
                }
            }
        }
        if (looksLikeHtml(body)) {
            return "";
        }
        String s = body.strip();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
