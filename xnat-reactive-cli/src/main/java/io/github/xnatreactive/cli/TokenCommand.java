package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.AliasToken;
import io.github.xnatreactive.core.XnatClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code token issue [--for LOGIN]}: an alias token for scripts, to use with {@code --alias-token}. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {"Alias tokens: log scripts in without a password (see --alias-token)."},
        subcommands = {TokenCommand.Issue.class})
final class TokenCommand implements Runnable {
    TokenCommand(Cli cli) {}

    @Override
    public void run() {
        throw new Cli.UsageException("a subcommand is required: token issue");
    }

    @Command(
            name = "issue",
            mixinStandardHelpOptions = true,
            description = {
                "Issue an alias token and print its alias, secret and expiry. Log in with it by"
                        + " --alias-token ALIAS and the secret in $XNAT_PASS."
            })
    static final class Issue extends ClientCommand {
        @Mixin
        AccessOutput output = new AccessOutput();

        @Option(names = "--for", paramLabel = "LOGIN", description = "for another user (site administrators only)")
        String login;

        Issue(Cli cli) {
            super(cli);
        }

        @Override
        void run(XnatClient xnat) {
            AliasToken t = (login == null
                            ? xnat.aliasTokens().issue()
                            : xnat.aliasTokens().issueFor(login))
                    .block();
            Map<String, String> r = new LinkedHashMap<>();
            r.put("alias", t.alias());
            r.put("secret", t.secret());
            r.put("login", t.login());
            r.put("expires", t.expires().toString());
            output.print(cli, List.of(r));
        }
    }
}
