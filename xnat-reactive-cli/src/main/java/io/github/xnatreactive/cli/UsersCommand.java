package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatUser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code users ls} and {@code users show LOGIN}: the site's users. */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = {"The site's users: list them (site administrators) or show one."},
        subcommands = {UsersCommand.Ls.class, UsersCommand.Show.class})
final class UsersCommand implements Runnable {
    UsersCommand(Cli cli) {}

    @Override
    public void run() {
        throw new Cli.UsageException("a subcommand is required: users ls, users show LOGIN");
    }

    static Map<String, String> row(XnatUser u) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("login", u.login());
        r.put("firstname", u.firstname());
        r.put("lastname", u.lastname());
        r.put("email", u.email());
        r.put("id", Long.toString(u.id()));
        r.put("enabled", Boolean.toString(u.enabled()));
        r.put("verified", Boolean.toString(u.verified()));
        return r;
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = {"List the site's users with names, e-mail and ID (site administrators only)."})
    static final class Ls extends ClientCommand {
        @Mixin
        AccessOutput output = new AccessOutput();

        Ls(Cli cli) {
            super(cli);
        }

        @Override
        void run(XnatClient xnat) {
            output.print(
                    cli,
                    xnat.users().list().map(UsersCommand::row).collectList().block());
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {"Show one user's record (your own, or anyone's as a site administrator)."})
    static final class Show extends ClientCommand {
        @Mixin
        AccessOutput output = new AccessOutput();

        @Parameters(index = "0", paramLabel = "LOGIN", description = "the user's login")
        String login;

        Show(Cli cli) {
            super(cli);
        }

        @Override
        void run(XnatClient xnat) {
            output.print(cli, List.of(row(xnat.users().get(login).block())));
        }
    }
}
