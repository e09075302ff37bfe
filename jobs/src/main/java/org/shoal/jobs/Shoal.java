package org.shoal.jobs;

import java.io.PrintWriter;
import org.shoal.jobs.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code shoal} command line: one subcommand per job. Exit codes: 0 ok, 1 job failed, 2 bad
 * usage or config, 3 a stage bin/shoal started with C1 only asks to be started again with both JIT
 * compilers ({@link QuickJit#STARTED_ON_C1}).
 */
@Command(
    name = "shoal",
    mixinStandardHelpOptions = true,
    versionProvider = Shoal.VersionProvider.class,
    description = "Animal tracks to discrete-choice behaviour models on Apache Spark.")
public final class Shoal implements Runnable {
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_RESTART_WITH_C2 = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "choose a job, e.g. `shoal simulate`");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * The command line: `run`, the pipeline's stages in order, the other jobs (see {@link
   * Catalogue}), `help`.
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Shoal());
    cli.addSubcommand(new RunJob());
    Catalogue.PIPELINE.forEach(stage -> cli.addSubcommand(stage.command().get()));
    Catalogue.OTHERS.forEach(job -> cli.addSubcommand(job.get()));
    cli.addSubcommand(new CommandLine.HelpCommand());
    return cli;
  }

  /** Runs the command line and returns its exit code (used by main and by tests). */
  public static int execute(String... args) {
    CommandLine cli = commandLine();
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof ConfigError || e instanceof IllegalArgumentException) {
            err.println("shoal " + commandLine.getCommandName() + ": " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
          }
          err.println("shoal " + commandLine.getCommandName() + " failed: " + describe(e));
          if (System.getenv("SHOAL_STACKTRACE") != null) {
            e.printStackTrace(err);
          } else {
            err.println("(set SHOAL_STACKTRACE=1 to see the stack trace)");
          }
          err.flush();
          return EXIT_FAILED;
        });
    return cli.execute(args);
  }

  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      b.append("\n  caused by: ")
          .append(c.getClass().getSimpleName())
          .append(": ")
          .append(c.getMessage());
    }
    return b.toString();
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"shoal " + Version.current()};
    }
  }
}
