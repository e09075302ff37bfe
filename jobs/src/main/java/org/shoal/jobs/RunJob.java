package org.shoal.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigRenderOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.shoal.jobs.config.Settings;
import org.shoal.jobs.config.SparkConfig;
import org.shoal.jobs.config.StageConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal run}: every stage in order, in one SparkSession, from one configuration. Every
 * stage's config is validated before the first one starts. A stage whose configuration and inputs
 * are unchanged since its last completed run is skipped ({@code --force} reruns everything). When
 * every stage has succeeded, the model and the report are copied to {@code
 * <work-dir>/published/<run>/} with a manifest, and {@code published/latest.json} is replaced
 * atomically, so a failed run never replaces the last good results.
 */
@Command(name = "run", description = "Run the whole pipeline, skipping unchanged stages.")
final class RunJob extends JobCommand<RunJob.RunConfig> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--force",
      description = "Rerun every stage, even those whose configuration and inputs are unchanged.")
  boolean force;

  /**
   * The whole configuration and the stages it includes, each configured from it; the run writes
   * published/.
   */
  record RunConfig(Settings settings, SparkConfig spark, List<JobCommand<?>> stages)
      implements StageConfig {
    static RunConfig from(Settings settings) {
      return new RunConfig(settings, SparkConfig.from(settings), Catalogue.pipeline(settings));
    }

    @Override
    public String output() {
      return settings.string("shoal.work-dir") + "/published";
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }
  }

  /** What the run did with one stage, for the published manifest. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StageRun(
      String stage, String fingerprint, boolean ran, Double seconds, Double peakHeapMb) {}

  /**
   * published/<run>/manifest.json: versions, timings, the best model, every stage, the config, the
   * results.
   */
  record Manifest(
      String run,
      String shoal,
      String spark,
      String java,
      double seconds,
      String model,
      double validationLoss,
      List<StageRun> stages,
      JsonNode config,
      JsonNode results) {}

  /** published/latest.json: the last good run, replaced atomically. */
  record Latest(String run, String path, String model, String report) {}

  RunJob() {
    super(RunConfig::from);
  }

  /**
   * When bin/shoal launched this command, in epoch seconds. A run started on C1 hands over to a
   * second JVM when a stage's input is too large for C1 ({@link JobCommand.RestartWithC2}): the
   * stages whose markers were written since then ran in this command, before the restart.
   */
  static final String LAUNCHED_AT = "SHOAL_LAUNCHED_AT";

  /** Whether stages of this command ran in its first JVM, before a restart. */
  private boolean restarted;

  @Override
  protected boolean recordsStage() {
    return false;
  }

  /**
   * A run starts on C1 when its first stage's inputs are small; each stage it runs then checks its
   * own.
   */
  @Override
  String tooLargeForC1(SparkConfig sparkConfig) {
    JobCommand<?> first = config.stages().get(0);
    return inStage(first, first.tooLargeForC1(sparkConfig));
  }

  /** {@code why} a stage may not run on C1, naming the stage; null when it may. */
  private static String inStage(JobCommand<?> stage, String why) {
    return why == null ? null : "stage " + stage.jobName() + ", " + why;
  }

  /** {@link #LAUNCHED_AT}, or null when something else started this JVM. */
  static Instant launchedAt(String epochSeconds) {
    if (epochSeconds == null || !epochSeconds.matches("[0-9]+([.,][0-9]+)?")) {
      return null;
    }
    // bash's EPOCHREALTIME writes the locale's decimal separator
    BigDecimal seconds = new BigDecimal(epochSeconds.replace(',', '.'));
    return Instant.ofEpochSecond(
        seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }

  /** The stages this run will go through, in order. */
  List<String> stageNames() {
    return config.stages().stream().map(JobCommand::jobName).toList();
  }

  @Override
  protected void run(SparkSession spark, Progress progress) throws Exception {
    long start = System.nanoTime();
    Instant launched = launchedAt(System.getenv(LAUNCHED_AT));
    Settings settings = config.settings();
    if (!settings.tracksAreSimulated()) {
      progress.info(
          "tracks: "
              + settings.string("shoal.expand.tracks.path")
              + " (not simulating the synthetic world)");
    }
    List<StageRun> record = new ArrayList<>();
    for (JobCommand<?> stage : config.stages()) {
      record.add(runUnlessUnchanged(spark, progress, stage, launched));
      if (stage instanceof ExpandJob) {
        requireDecisions(spark, stage.config.output());
      }
    }
    long ran = record.stream().filter(StageRun::ran).count();
    double seconds =
        launched == null
            ? (System.nanoTime() - start) / 1e9
            : Duration.between(launched, Instant.now()).toMillis() / 1e3;
    if (restarted) {
      progress.info(
          String.format(
              Locale.ROOT,
              "%.0f s since the command started, its first start on C1 included",
              seconds));
    }
    progress.info(String.format(Locale.ROOT, "%d of %d stages ran", ran, record.size()));
    Path latest = new Path(config.output(), "latest.json");
    if (ran == 0
        && latest.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(latest)) {
      progress.info("nothing changed; " + latest + " stays as it was");
      return;
    }
    publish(spark, progress, record, seconds);
  }

  /**
   * Runs one stage and records its marker, or skips it when its configuration and inputs are
   * unchanged. A stage that ran since {@code launched} (in this command's first JVM, before a
   * restart with both compilers) counts as run, even with --force.
   */
  private StageRun runUnlessUnchanged(
      SparkSession spark, Progress progress, JobCommand<?> stage, Instant launched)
      throws Exception {
    Stages.Listing inputs = Stages.Listing.of(spark, stage.stage());
    String fingerprint = Stages.fingerprint(config.settings().config(), stage.stage(), inputs);
    JsonNode marker = Stages.marker(spark, stage.stage());
    boolean unchanged =
        marker != null && fingerprint.equals(marker.at("/fingerprint").asText(null));
    if (unchanged
        && launched != null
        && !Instant.parse(marker.at("/finished").asText()).isBefore(launched)) {
      double seconds = marker.at("/seconds").asDouble();
      restarted = true;
      progress.info(
          String.format(
              Locale.ROOT, "stage %s: ran before the restart (%.1f s)", stage.jobName(), seconds));
      return new StageRun(
          stage.jobName(), fingerprint, true, seconds, marker.at("/peakHeapMb").asDouble());
    }
    if (!force && unchanged) {
      progress.info("stage " + stage.jobName() + ": unchanged since its last run, skipped");
      return new StageRun(stage.jobName(), fingerprint, false, null, null);
    }
    String tooLarge =
        onC1 ? inStage(stage, stage.tooLargeForC1(config.spark(), inputs.bytes())) : null;
    if (tooLarge != null) {
      throw new RestartWithC2(tooLarge);
    }
    progress.info("stage " + stage.jobName());
    Stages.forget(spark, stage.stage());
    Progress stageProgress = new Progress(stage.jobName());
    JobCommand.fitSessionToInput(spark, config.spark(), inputs.bytes(), stageProgress);
    long t0 = System.nanoTime();
    stage.run(spark, stageProgress);
    Stages.Measures measures = Stages.Measures.of(t0, inputs.bytes());
    stageProgress.done();
    // The inputs were listed before the stage ran; a stage never writes its own inputs, so the
    // listing stands.
    Stages.record(spark, config.settings().config(), stage.stage(), fingerprint, measures);
    return new StageRun(
        stage.jobName(), fingerprint, true, measures.seconds(), measures.peakHeapMb());
  }

  /**
   * Stops the run, with one sentence, when expand found no decisions: nothing after it could work.
   */
  private static void requireDecisions(SparkSession spark, String expandOutput)
      throws java.io.IOException {
    JsonNode report =
        JSON.readTree(Inputs.text(spark, expandOutput + "/report.json", "expand report"));
    if (report.at("/decisions").asLong() == 0) {
      throw new IllegalStateException(
          "expand found no decisions ("
              + report.at("/noDecisions").asText()
              + "); see "
              + expandOutput
              + "/report.json");
    }
  }

  /**
   * Copies the best model and the evaluation into published/<run>/ and points latest.json at it.
   */
  private void publish(SparkSession spark, Progress progress, List<StageRun> record, double seconds)
      throws Exception {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Settings settings = config.settings();
    String published = config.output();
    String runName =
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT));
    Path target = new Path(published, runName);
    FileSystem fs = target.getFileSystem(hadoop);
    String train = settings.string("shoal.train.output");
    String evaluate = settings.string("shoal.evaluate.output");
    JsonNode best = TrainedModels.pointer(spark, TrainedModels.best(train));
    Path model = new Path(best.at("/path").asText());
    FileUtil.copy(fs, model, fs, new Path(target, "model"), false, hadoop);
    for (String f : List.of("report.html", "summary.json", "metrics.csv")) {
      FileUtil.copy(fs, new Path(evaluate, f), fs, new Path(target, f), false, hadoop);
    }
    Manifest manifest =
        new Manifest(
            runName,
            Version.current(),
            spark.version(),
            System.getProperty("java.version"),
            seconds,
            best.at("/runId").asText(),
            best.at("/validationLoss").asDouble(),
            record,
            JSON.readTree(
                settings.config().getConfig("shoal").root().render(ConfigRenderOptions.concise())),
            JSON.readTree(Inputs.text(spark, evaluate + "/summary.json", "evaluation summary"))
                .at("/results"));
    Outputs.json(spark, manifest, target + "/manifest.json");

    Latest latest =
        new Latest(runName, target.toString(), target + "/model", target + "/report.html");
    Path tmp = new Path(published, ".latest.json.tmp");
    Outputs.json(spark, latest, tmp.toString());
    FileContext.getFileContext(tmp.toUri(), hadoop)
        .rename(tmp, new Path(published, "latest.json"), Options.Rename.OVERWRITE);
    progress.info("published " + target + "; the report is " + target + "/report.html");
  }
}
