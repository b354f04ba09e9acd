package io.github.xnatreactive.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How usage errors and the root help read: an unknown option is named before anything missing (a typo in a
 * required option's name would otherwise be reported as the option missing), then one short usage line and where
 * to find the whole help; the root help lists each command with its first sentence, never cut mid-sentence.
 */
final class Usage {
    private Usage() {}

    static void configure(CommandLine root, PrintStream err) {
        root.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            CommandSpec spec = cmd.getCommandSpec();
            List<String> unknown = unknownOptions(spec, args);
            if (!unknown.isEmpty()) {
                String first = unknown.get(0);
                err.println(spec.qualifiedName() + ": unknown option '" + first + "'" + suggestion(spec, first));
            } else {
                err.println(spec.qualifiedName() + ": " + ex.getMessage());
            }
            err.println(shortUsage(spec));
            err.println("Try '" + spec.qualifiedName() + " --help' for all options.");
            return Cli.USAGE;
        });
        root.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Usage::commandList);
    }

    /** The arguments of this command (after its name) that look like options it does not have. */
    static List<String> unknownOptions(CommandSpec spec, String[] args) {
        List<String> unknown = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(spec.name())) {
                start = i + 1;
                break;
            }
        }
        for (int i = start; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (!a.startsWith("-") || a.equals("-") || a.matches("-\\d.*")) {
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            OptionSpec o = spec.findOption(name);
            if (o == null) {
                unknown.add(name);
            } else if (!a.contains("=") && o.arity().max() > 0 && !o.typeInfo().isBoolean()) {
                i++; // its value
            }
        }
        return unknown;
    }

    private static String suggestion(CommandSpec spec, String unknown) {
        String best = null;
        int bestDistance = 3;
        for (OptionSpec o : spec.options()) {
            for (String n : o.names()) {
                int d = distance(n, unknown);
                if (d < bestDistance) {
                    best = n;
                    bestDistance = d;
                }
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    /** {@code Usage: xnat-reactive download --project=P --dest=DIR [OPTIONS]}: the required options only. */
    static String shortUsage(CommandSpec spec) {
        StringBuilder b = new StringBuilder("Usage: ").append(spec.qualifiedName());
        for (OptionSpec o : spec.options()) {
            if (o.required()) {
                b.append(' ').append(o.longestName()).append('=').append(o.paramLabel());
            }
        }
        if (!spec.options().isEmpty()) {
            b.append(" [OPTIONS]");
        }
        if (!spec.subcommands().isEmpty()) {
            b.append(" COMMAND");
        }
        for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
            b.append(' ').append(p.paramLabel());
        }
        return b.toString();
    }

    /** Each command with the first sentence of its description, wrapped at the help's width. */
    private static String commandList(CommandLine.Help help) {
        Map<String, CommandLine.Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int nameWidth = 2;
        for (String name : subs.keySet()) {
            nameWidth = Math.max(nameWidth, name.length() + 2);
        }
        int width = help.commandSpec().usageMessage().width();
        CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(
                help.colorScheme(),
                new CommandLine.Help.Column(nameWidth + 2, 2, CommandLine.Help.Column.Overflow.SPAN),
                new CommandLine.Help.Column(width - nameWidth - 2, 1, CommandLine.Help.Column.Overflow.WRAP));
        for (Map.Entry<String, CommandLine.Help> e : subs.entrySet()) {
            CommandSpec s = e.getValue().commandSpec();
            String[] header = s.usageMessage().header();
            String text = String.join(
                    " ", header.length > 0 ? header : s.usageMessage().description());
            table.addRowValues(e.getKey(), firstSentence(text));
        }
        return table.toString();
    }

    static String firstSentence(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        int end = -1;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == '.' && (i + 1 == t.length() || t.charAt(i + 1) == ' ')) {
                end = i;
                break;
            }
        }
        return end < 0 ? t : t.substring(0, end + 1);
    }
}
