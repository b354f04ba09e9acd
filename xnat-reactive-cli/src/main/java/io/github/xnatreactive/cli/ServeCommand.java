package io.github.xnatreactive.cli;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the embedded XNAT-compatible test server. Prints the base URL on one line when ready and serves "
                    + "until killed. Passwords never come from the command line (it shows in ps): a user's password is "
                    + "taken from $XNAT_SERVE_PASS_<NAME> (the name in upper case, other characters as _) or from the"
                    + " --passwords file."
        })
final class ServeCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "port; 0 picks a free one")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "address to bind")
    String host;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "directory for file bytes (default: a temporary one, deleted on exit)")
    Path data;

    @Option(
            names = "--user",
            paramLabel = "NAME",
            description = {
                "a user (repeatable): the first is the site administrator, later ones ordinary users "
                        + "(default: admin with password admin)"
            })
    List<String> users = new ArrayList<>();

    @Option(
            names = "--passwords",
            paramLabel = "FILE",
            description = "a file of NAME:PASSWORD lines for the --user names (keep it private)")
    Path passwords;

    @Option(
            names = "--seed",
            paramLabel = "SPEC",
            description = "a synthetic project PROJECT:SUBJECTSxSESSIONSxSCANSxFILESxBYTES, e.g. DEMO:2x3x4x10x64K"
                    + " (repeatable)")
    List<String> seeds = new ArrayList<>();

    @Option(
            names = "--faults",
            paramLabel = "SPEC",
            description = "faults to inject, e.g. drop=0.05,unavailable=0.02,seed=7 (as the testkit jar's --faults)")
    String faults;

    @Option(names = "--session-timeout", paramLabel = "D", description = "idle session timeout (default 15m)")
    String sessionTimeout;

    @Option(names = "--site-id", paramLabel = "ID", description = "site ID used in accession IDs (default XNAT)")
    String siteId;

    ServeCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        XnatTestServer.Builder b = XnatTestServer.builder().port(port).host(host);
        try {
            if (data != null) {
                b.dataDir(data);
            }
            for (String s : seeds) {
                b.seed(SeedSpec.parse(s));
            }
            if (faults != null) {
                b.faults(FaultSpec.parse(faults));
            }
            if (sessionTimeout != null) {
                b.sessionTimeout(FaultSpec.parseDuration(sessionTimeout));
            }
            if (siteId != null) {
                b.siteId(siteId);
            }
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        Map<String, String> fromFile = passwords == null ? Map.of() : readPasswords(passwords);
        for (String name : users) {
            if (name.contains(":")) {
                throw new Cli.UsageException("--user takes a NAME only: a password on the command line shows in ps;"
                        + " put it in $" + variable(name.substring(0, name.indexOf(':'))) + " or a --passwords file");
            }
            String password = cli.env.getOrDefault(variable(name), fromFile.get(name));
            if (password == null) {
                throw new Cli.UsageException(
                        "no password for user " + name + ": set $" + variable(name) + " or give --passwords FILE");
            }
            b.user(name, password);
        }
        if (users.isEmpty()) {
            b.user("admin", "admin");
        }
        try (XnatTestServer server = b.start()) {
            // killed (SIGTERM, Ctrl-C): stop serving and delete a temporary data directory
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "xnat-reactive-serve-shutdown"));
            cli.out.println(server.baseUrl());
            cli.out.flush();
            cli.err.println(
                    "xnat-reactive testkit serving " + server.baseUrl() + " (data in " + server.dataDir() + ")");
            server.awaitTermination();
        }
        return Cli.OK;
    }

    /** {@code XNAT_SERVE_PASS_ALICE} for alice. */
    static String variable(String user) {
        return "XNAT_SERVE_PASS_" + user.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Map<String, String> readPasswords(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int colon = l.indexOf(':');
                if (colon <= 0) {
                    throw new Cli.UsageException("--passwords: lines are NAME:PASSWORD, in " + file);
                }
                m.put(l.substring(0, colon), l.substring(colon + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return m;
    }
}
