package io.tillstream.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The README's table of commands, rendered from their declarations (CommandTableTest keeps the README equal). */
public final class CommandTable {
  /** A Markdown table: each command with its options and what it does, in the order help lists them. */
  public static String markdown(CommandLine root) {
    StringBuilder sb = new StringBuilder("| command | what it does |\n| --- | --- |\n");
    root.getSubcommands().forEach((name, sub) -> {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        CommandSpec spec = sub.getCommandSpec();
        sb.append("| `").append(cell(synopsis(spec))).append("` | ").append(cell(spec.usageMessage()
            .description()[0])).append(" |\n");
      }
    });
    return sb.toString();
  }

  /** NAME [--option VALUE]... PARAM, in declaration order; options without brackets are required. */
  static String synopsis(CommandSpec spec) {
    List<String> parts = new ArrayList<>(List.of(spec.name()));
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      String text = o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
      parts.add((o.required() ? text : "[" + text + "]") + (o.isMultiValue() ? "..." : ""));
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      parts.add(p.arity().min() == 0 ? "[" + p.paramLabel() + "]" : p.paramLabel());
    }
    return String.join(" ", parts);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  private CommandTable() {}
}
