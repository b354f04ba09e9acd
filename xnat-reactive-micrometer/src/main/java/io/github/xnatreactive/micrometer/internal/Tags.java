package io.github.xnatreactive.micrometer.internal;

/** Bounded tag values shared by the client's and the bulk engine's meters. */
final class Tags {
    private Tags() {}

    /** Micrometer's HTTP outcome for a status, as Spring's and Reactor Netty's instrumentation name it. */
    static String outcome(int status) {
        if (status < 100) {
            return "UNKNOWN";
        }
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }

    static String status(int status) {
        return status < 0 ? "NONE" : Integer.toString(status);
    }

    /** The error's class name: one of a bounded set of exception types; "none" when there is no error. */
    static String exception(Throwable error) {
        return error == null ? "none" : error.getClass().getSimpleName();
    }
}
