package io.github.xnatreactive.cli;

import java.io.Console;
import java.nio.file.Path;

/** {@code java -jar xnat-reactive.jar COMMAND ...}: see {@code xnat-reactive --help}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Console console = System.console();
        Cli cli = new Cli(
                System.getenv(),
                Path.of(System.getProperty("user.home", ".")),
                System.out,
                System.err,
                p -> console == null ? null : console.readPassword("%s", p),
                console != null);
        int code = cli.execute(args);
        System.exit(code);
    }
}
