package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/** Connection options shared by every command that talks to a server. Passwords never come from a flag. */
public final class ConnectionOptions {
    @Option(names = "--server", paramLabel = "URL", description = "XNAT server URL (default: $XNAT_HOST)")
    String server;

    @Option(names = "--user", paramLabel = "NAME", description = "user name (default: $XNAT_USER, else the netrc file)")
    String user;

    @Option(
            names = "--netrc-file",
            paramLabel = "FILE",
            description = "the netrc file with the login for the server (default: $NETRC, else $HOME/.netrc)")
    Path netrcFile;

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
                cli,
                server,
                "XNAT_HOST",
                user,
                "XNAT_USER",
                "XNAT_PASS",
                aliasToken,
                caFile,
                insecure,
                maxConnections,
                netrcFile);
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
            int maxConnections,
            Path netrcFile) {
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
                cli.credentialSource = (user != null ? "--user" : userVar) + " and " + passVar;
            } else {
                // the netrc file is read only when the environment did not give the password
                Path netrc = netrcFile(cli, netrcFile);
                Optional<Credentials> found =
                        Credentials.fromNetrc(netrc, normalise(url)).filter(n -> u == null || u.equals(n.user()));
                if (found.isPresent()) {
                    warnIfReadableByOthers(cli, netrc);
                    creds = found.get();
                    cli.credentialSource = netrc.toString();
                } else if (u != null) {
                    creds = Credentials.password(u, secret(cli, passVar, "Password for " + u + " at " + url + ": "));
                } else {
                    throw new Cli.UsageException("no user: give --user NAME, set " + userVar + ", or add the server"
                            + " to " + netrc + (Files.exists(netrc) ? " (it has no entry for its host)" : ""));
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
        XnatClient client = b.build();
        cli.servers.add(client.serverUrl());
        return client;
    }

    /** {@code --netrc-file}, else {@code $NETRC}, else {@code .netrc} in the home directory ({@code $HOME}). */
    static Path netrcFile(Cli cli, Path given) {
        if (given != null) {
            if (!Files.isRegularFile(given)) {
                throw new Cli.UsageException("no netrc file " + given);
            }
            return given;
        }
        String env = cli.env.get("NETRC");
        return env != null && !env.isBlank() ? cli.path(env) : cli.home.resolve(".netrc");
    }

    /** Like ftp and curl users expect: a netrc with passwords should be readable by its owner only. */
    private static void warnIfReadableByOthers(Cli cli, Path netrc) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(netrc);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                cli.err.println("xnat-reactive: warning: " + netrc + " is readable by other users; make it private"
                        + " with chmod 600 " + netrc);
            }
        } catch (UnsupportedOperationException | java.io.IOException e) {
            // not a POSIX file system: nothing to check
        }
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
                    "no password: set " + var + ", use a netrc file, or run with a terminal" + " to be asked");
        }
        cli.credentialSource = "the prompt";
        return new String(typed);
    }
}
