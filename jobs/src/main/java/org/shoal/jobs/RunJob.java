package org.shoal.jobs;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.Settings;
import picocli.CommandLine.Command;

/**
 * {@code shoal run}: every stage in order, in one SparkSession, from one configuration. Every stage's config is
 * validated before the first one starts, so a typo in the last stage fails in milliseconds, not after an hour.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the whole pipeline (simulate, expand, augment, contrasts, train, infer, evaluate) from one configuration.")
final class RunJob extends JobCommand {
  private final List<JobCommand> stages = List.of(
          new SimulateJob(),
          new ExpandJob(),
          new AugmentJob(),
          new ContrastsJob(),
          new TrainJob(),
          new InferJob(),
          new EvaluateJob());

  @Override
  protected String jobName() {
    return "run";
  }

  @Override
  protected void configure(Settings settings) {
    stages.forEach(s -> s.configure(settings));
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    for (JobCommand stage : stages) {
      progress.info("stage " + stage.jobName());
      stage.run(spark, new Progress(stage.jobName()));
    }
  }
}
