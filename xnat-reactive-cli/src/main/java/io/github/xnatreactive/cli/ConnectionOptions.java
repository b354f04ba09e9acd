package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Connection options shared by every command that talks to a server. Passwords never come from a flag. */
public final class ConnectionOptions {
    @Option(names = "--server", paramLabel = "URL", description = "XNAT server URL (default: $XNAT_HOST)")
    String server;

    @Option(names = "--user", paramLabel = "NAME", description = "user name (default: $XNAT_USER, else ~/.netrc)")
    String user;

    @Option(
            names = "--alias-token",
            paramLabel = "ALIAS",
            description = "authenticate with an alias token; its secret comes from $XNAT_PASS or a prompt")
    String aliasToken;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "trust the CA certificates in this PEM file")
    Path caFile;

    @Option(names = "--insecure", description = "accept any TLS certificate (dangerous; logs a warning)")
    boolean insecure;

    /** A client for the configured server; {@code maxConnections} at least {@code concurrency}. */
    XnatClient client(Cli cli, int maxConnections) {
        return client(
                cli, server, "XNAT_HOST", user, "XNAT_USER", "XNAT_PASS", aliasToken, caFile, insecure, maxConnections);
    }

    static XnatClient client(
            Cli cli,
            String server,
            String hostVar,
            String user,
            String userVar,
            String passVar,
            String alias,
            Path caFile,
            boolean insecure,
            int maxConnections) {
        String url = server != null ? server : cli.env.get(hostVar);
        if (url == null || url.isBlank()) {
            throw new Cli.UsageException("no server: give --server URL or set " + hostVar);
        }
        XnatClient.Builder b = XnatClient.builder()
                .serverUrl(url)
                .maxConnections(maxConnections)
                .applicationId("cli");
        String u = user != null ? user : cli.env.get(userVar);
        Credentials creds;
        if (alias != null) {
            creds = Credentials.aliasToken(alias, secret(cli, passVar, "Secret of alias token " + alias + ": "));
        } else {
            String pass = cli.env.get(passVar);
            if (u != null && pass != null) {
                creds = Credentials.password(u, pass);
            } else {
                // ~/.netrc is read only when the environment did not give the password
                Optional<Credentials> netrc = Credentials.fromNetrc(cli.home.resolve(".netrc"), normalise(url))
                        .filter(n -> u == null || u.equals(n.user()));
                if (netrc.isPresent()) {
                    creds = netrc.get();
                } else if (u != null) {
                    creds = Credentials.password(u, secret(cli, passVar, "Password for " + u + " at " + url + ": "));
                } else {
                    throw new Cli.UsageException(
                            "no user: give --user NAME, set " + userVar + ", or add the server to ~/.netrc");
                }
            }
        }
        b.credentials(creds);
        if (caFile != null) {
            b.caFile(caFile);
        }
        if (insecure) {
            b.insecureTrustAll();
        }
        return b.build();
    }

    private static String normalise(String url) {
        return url.contains("://") ? url : "https://" + url;
    }

    private static String secret(Cli cli, String var, String promptText) {
        String v = cli.env.get(var);
        if (v != null) {
            return v;
        }
        char[] typed = cli.prompt.readSecret(promptText);
        if (typed == null) {
            throw new Cli.UsageException(
                    "no password: set " + var + ", use ~/.netrc, or run in a terminal to be" + " asked");
        }
        return new String(typed);
    }
}
