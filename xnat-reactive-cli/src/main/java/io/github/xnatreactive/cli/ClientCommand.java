package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that connects (the usual connection options), does one thing with the client and closes it. */
abstract class ClientCommand implements Callable<Integer> {
    final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    ClientCommand(Cli cli) {
        this.cli = cli;
    }

    /** Does the command's work; the client is closed afterwards. */
    abstract void run(XnatClient xnat);

    @Override
    public final Integer call() {
        try (XnatClient xnat = conn.client(cli, 2)) {
            run(xnat);
            return Cli.OK;
        }
    }
}
