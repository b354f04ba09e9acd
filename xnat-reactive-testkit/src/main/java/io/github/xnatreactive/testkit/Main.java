package io.github.xnatreactive.testkit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone server: {@code java -jar xnat-reactive-testkit.jar --port 8080 --data DIR --user admin:admin}.
 * Prints its base URL alone on one line of standard output when ready, logs to standard error, serves until
 * killed.
 */
public final class Main {
    private Main() {}

    static final String USAGE = String.join(
            "\n",
            "Usage: java -jar xnat-reactive-testkit.jar [options]",
            "",
            "An XNAT-compatible test server (classic REST API under /data and /REST).",
            "",
            "Options:",
            "  --port N             port to listen on; 0 picks a free port (default 8080)",
            "  --host ADDR          address to bind (default 127.0.0.1)",
            "  --data DIR           directory for file bytes (default: a temporary directory, deleted on exit)",
            "  --user NAME:PASSWORD a user; repeatable. The first is the site administrator, later ones are",
            "                       ordinary users who own the projects they create (default admin:admin)",
            "  --user-profile LOGIN:FIRST:LAST:EMAIL  names and e-mail of a --user (default: the login and",
            "                       LOGIN@localhost)",
            "  --guest              let callers without credentials in as the guest user (reads public projects)",
            "  --seed SPEC          create a synthetic project PROJECT:SUBJECTSxSESSIONSxSCANSxFILESxBYTES,",
            "                       e.g. DEMO:2x3x4x10x64K (sizes take K, M, G); repeatable",
            "  --faults SPEC        inject faults: comma-separated key=value among",
            "                         drop=FRACTION        drop the connection mid-body on this fraction of file GETs",
            "                         drop-after=BYTES     ...after this many body bytes (default 0)",
            "                         error=FRACTION       answer 500 to this fraction of requests",
            "                         unavailable=FRACTION answer 503 with Retry-After to this fraction",
            "                         retry-after=SECONDS  the Retry-After value (default 1)",
            "                         latency=DURATION     delay every request (e.g. 20ms)",
            "                         expire-sessions=DURATION  invalidate all sessions this often (e.g. 30s)",
            "                         seed=N               random seed, for replay (default 1)",
            "                         archive-drop=FRACTION  close archive downloads (format=zip...) after",
            "                         archive-drop-after=BYTES  ...this many bytes (default 0)",
            "                         archive-corrupt=FRACTION  invert the bytes of one entry of an archive",
            "                         archive-omit=FRACTION  leave one listed file out of an archive",
            "                         archive-slip=FRACTION  add an entry ../evil to an archive",
            "                         route=PATTERN        only requests whose path matches, e.g.",
            "                                              /data/experiments/{e}/**",
            "  --session-timeout D  idle session timeout (default 15m)",
            "  --site-id ID         site ID used in accession IDs (default XNAT)",
            "  --help               print this help and exit");

    /**
     * Runs the server until the process is killed; exits with status 2 on bad arguments, 1 when the server cannot
     * start, 0 after {@code --help}.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "xnat-testkit-logback.xml");
        }
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /**
     * Parses the arguments and serves until the server is stopped.
     *
     * @param args the options, as {@link #main(String[])} takes them
     * @param out where the base URL (or the help) is printed
     * @param err where errors and the start message go
     * @return an exit code (0 after {@code --help}, 1 when the server cannot start, 2 for bad arguments), or -1
     *     after the server was stopped normally
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        XnatTestServer.Builder b = XnatTestServer.builder().port(8080);
        List<String[]> users = new ArrayList<>();
        java.util.Map<String, String[]> profiles = new java.util.HashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--port" -> b.port(number(value(args, ++i, a), a));
                    case "--host" -> b.host(value(args, ++i, a));
                    case "--data" -> b.dataDir(Path.of(value(args, ++i, a)));
                    case "--user" -> {
                        String v = value(args, ++i, a);
                        int colon = v.indexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("--user takes NAME:PASSWORD");
                        }
                        users.add(new String[] {v.substring(0, colon), v.substring(colon + 1)});
                    }
                    case "--guest" -> b.guestAccess(true);
                    case "--user-profile" -> {
                        String[] p = value(args, ++i, a).split(":", -1);
                        if (p.length != 4 || p[0].isEmpty()) {
                            throw new IllegalArgumentException("--user-profile takes LOGIN:FIRST:LAST:EMAIL");
                        }
                        profiles.put(p[0], p);
                    }
                    case "--seed" -> b.seed(SeedSpec.parse(value(args, ++i, a)));
                    case "--faults" -> b.faults(FaultSpec.parse(value(args, ++i, a)));
                    case "--session-timeout" -> b.sessionTimeout(FaultSpec.parseDuration(value(args, ++i, a)));
                    case "--site-id" -> b.siteId(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("Unknown option: " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("Try --help.");
            return 2;
        }
        for (String[] u : users) {
            String[] p = profiles.remove(u[0]);
            if (p == null) {
                b.user(u[0], u[1]);
            } else {
                b.user(u[0], u[1], p[1], p[2], p[3]);
            }
        }
        if (!profiles.isEmpty()) {
            err.println("error: --user-profile for a login no --user gives: " + profiles.keySet());
            err.println("Try --help.");
            return 2;
        }
        XnatTestServer server;
        try {
            server = b.start();
        } catch (RuntimeException e) {
            err.println("error: could not start the server: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "xnat-testkit-shutdown"));
        out.println(server.baseUrl());
        out.flush();
        err.println("xnat-reactive testkit serving " + server.baseUrl() + " (data in " + server.dataDir() + ")");
        server.awaitTermination();
        return -1;
    }

    private static int number(String v, String option) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got '" + v + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
