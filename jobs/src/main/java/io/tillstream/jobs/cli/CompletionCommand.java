package io.tillstream.jobs.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** scripts/tillstream completion: the bash (and zsh) completion script, generated from the declared commands. */
@Command(name = "completion",
    description = {"prints the shell completion script (bash, zsh) for every command and option",
        "Load it into the running shell with: source <(scripts/tillstream completion). It completes"
        + " commands and options of the command named tillstream; put scripts/ on the PATH, or alias"
        + " tillstream=scripts/tillstream, to use it."})
public final class CompletionCommand extends JobCommand {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    out().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    out().flush();
    return ExitCodes.OK;
  }
}
