package io.github.xnatreactive.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
        name = "serve",
        description = {
            "Run the embedded XNAT-compatible test server (same flags as the testkit jar: --port, --data,",
            "--user NAME:PASSWORD, --seed, --faults, --session-timeout, --site-id; 'serve --help' lists them).",
            "Prints the base URL on one line when ready and serves until killed."
        })
final class ServeCommand implements Callable<Integer> {
    private final Cli cli;

    @Unmatched
    List<String> args = new ArrayList<>();

    ServeCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        int code = io.github.xnatreactive.testkit.Main.run(args.toArray(String[]::new), cli.out, cli.err);
        return code < 0 ? Cli.OK : code;
    }
}
