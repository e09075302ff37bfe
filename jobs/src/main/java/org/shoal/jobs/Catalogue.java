package org.shoal.jobs;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.shoal.jobs.config.CovariatesConfig;
import org.shoal.jobs.config.Settings;

/**
 * Every job, declared once: the pipeline `shoal run` goes through, in order, and the jobs run on
 * their own.
 */
final class Catalogue {
  /**
   * A pipeline stage: how to make its command, and whether a run with given settings includes it.
   */
  record Stage(Supplier<JobCommand<?>> command, Predicate<Settings> included) {}

  /** `shoal run`'s stages, in order. */
  static final List<Stage> PIPELINE =
      List.of(
          // The synthetic world is simulated only when expand reads its tracks.
          new Stage(SimulateJob::new, Settings::tracksAreSimulated),
          new Stage(CovariatesJob::new, CovariatesConfig::enabled),
          new Stage(ExpandJob::new, always()),
          new Stage(AugmentJob::new, always()),
          new Stage(ContrastsJob::new, always()),
          new Stage(TrainJob::new, always()),
          new Stage(InferJob::new, always()),
          new Stage(EvaluateJob::new, always()));

  /** Jobs outside `shoal run`: importing a choice table, and where the fish go. */
  static final List<Supplier<JobCommand<?>>> OTHERS =
      List.of(ImportJob::new, TransitionsJob::new, DiffuseJob::new);

  private Catalogue() {}

  /**
   * The stages a run with these settings goes through, in order, each configured (validated) from
   * them.
   */
  static List<JobCommand<?>> pipeline(Settings settings) {
    List<JobCommand<?>> stages =
        PIPELINE.stream()
            .filter(s -> s.included().test(settings))
            .<JobCommand<?>>map(s -> s.command().get())
            .toList();
    stages.forEach(s -> s.configure(settings));
    return stages;
  }

  private static Predicate<Settings> always() {
    return settings -> true;
  }
}
