package io.github.xnatreactive.testkit.internal;

/** The HTML pages real XNAT answers with: Restlet's status page and Tomcat's error page (contract section 10). */
public final class Pages {
    private Pages() {}

    public static String restletStatus(int status, String message) {
        return "<html>\n<head>\n   <title>Status page</title>\n</head>\n<body>\n<h3>"
                + escape(message)
                + "</h3><p>You can get technical details <a href=\"http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html"
                + anchor(status)
                + "\">here</a>.<br>\nPlease continue your visit at our <a href=\"/\">home page</a>.\n</p>\n</body>\n</html>\n";
    }

    public static String tomcat(int status, String reason, String message) {
        return "<!doctype html><html lang=\"en\"><head><title>HTTP Status " + status + " – " + reason
                + "</title><style type=\"text/css\">body {font-family:Tahoma,Arial,sans-serif;}</style></head><body>"
                + "<h1>HTTP Status " + status + " – " + reason
                + "</h1><hr class=\"line\" /><p><b>Type</b> Status Report</p>"
                + "<p><b>Message</b> " + escape(message) + "</p><p><b>Description</b> The request has not been applied"
                + " because it lacks valid authentication credentials for the target resource.</p><hr class=\"line\" />"
                + "<h3>Apache Tomcat</h3></body></html>";
    }

    private static String anchor(int status) {
        int klass = status / 100;
        int index = status % 100 + 1;
        return "#sec10." + klass + "." + index;
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A reason phrase for the statuses the server uses. */
    public static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Entity";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }
}
