package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar on a real Spark standalone cluster: a master and two workers on 127.0.0.1, started
 * from the jar itself. `shoal run` submitted to it still completes when one worker is killed during
 * inference, and gives the same metrics as a run in local mode that was killed during training and
 * run again.
 */
class ITStandaloneCluster {
  private static final Path JAR =
      Path.of(System.getProperty("shoal.jar", "target/shoal-jobs-all.jar"));
  private static final List<String> OPENS =
      Arrays.asList(System.getProperty("spark.java17.opens", "").trim().split("\\s+"));

  /**
   * Every JVM here compiles with C1 only, as bin/shoal starts a stage on small inputs: the data are
   * tiny and five JVMs share the machine's cores, so C2's compilations would cost more than they
   * save.
   */
  private static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Process start(List<String> command, Path log, String... env) throws IOException {
    List<String> full =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    full.addAll(OPENS);
    full.add(QUICK_JIT);
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    if (log != null) {
      pb.redirectOutput(log.toFile());
    }
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    for (int i = 0; i < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static void awaitLine(Path log, String text, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "no '"
            + text
            + "' in "
            + log
            + " after "
            + seconds
            + " s:\n"
            + (Files.exists(log) ? Files.readString(log) : ""));
  }

  private Path conf(Path work) throws IOException {
    Path f = dir.resolve(work.getFileName() + ".conf");
    Files.writeString(
        f,
        String.join(
            "\n",
            "shoal {",
            "  work-dir = \"" + work + "\"",
            "  spark.properties { \"spark.sql.shuffle.partitions\" = 4 }",
            "  simulate { individuals = 12, min-days = 10, max-days = 20, individuals-per-partition = 3",
            "    region { min-lat = 52, max-lat = 56, min-lon = -150, max-lon = -140 } }",
            "  augment.copies = 1",
            "  contrasts { decisions-per-individual = 20, alternatives-per-decision = 4 }",
            "  train { hidden = [8], batch-size = 200, epochs = 2, learning-rate = 0.02 }",
            "  evaluate.exemplars = 1",
            "}"));
    return f;
  }

  /**
   * `shoal run` in local mode, killed (SIGKILL) during training and run again: the second run
   * redoes training and the stages after it, and leaves the finished stages as they are.
   */
  private void runKilledInTrainingThenResumed(String jar, Path work) throws Exception {
    Path log = dir.resolve("local.log");
    List<String> command =
        List.of(
            "-jar", jar, "run", "--conf", conf(work).toString(), "-Dshoal.spark.master=local[2]");
    Process first = start(command, log);
    awaitLine(log, "[train] training run", 600);
    first.destroyForcibly();
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(work.resolve("train").resolve(Stages.MARKER)).doesNotExist();
    assertThat(work.resolve("published/latest.json")).doesNotExist();

    Path log2 = dir.resolve("resumed.log");
    Process second = start(command, log2);
    assertThat(second.waitFor(15, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(log2);
    assertThat(second.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("stage simulate: unchanged")
        .contains("stage contrasts: unchanged")
        .contains("[run] stage train")
        .contains("published");
  }

  /**
   * Every notebook in notebooks/ runs headless against the run's outputs (required when
   * SHOAL_REQUIRE_JUPYTER is set).
   */
  private void executeNotebooks(Path work) throws Exception {
    Path notebooks = Path.of("..", "notebooks").toAbsolutePath().normalize();
    Optional<String> jupyter = ExternalPrograms.jupyter();
    if (!ExternalPrograms.runCheck(
        jupyter, "jupyter", "SHOAL_REQUIRE_JUPYTER", System.getenv("SHOAL_REQUIRE_JUPYTER"))) {
      return;
    }
    assertThat(new ProcessBuilder(jupyter.get(), "nbconvert", "--version").start().waitFor())
        .as("jupyter nbconvert is installed")
        .isZero();
    List<Path> books;
    try (var files = Files.list(notebooks)) {
      books = files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertThat(books).hasSize(3);
    for (Path book : books) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  jupyter.get(),
                  "nbconvert",
                  "--to",
                  "notebook",
                  "--execute",
                  "--ExecutePreprocessor.timeout=300",
                  "--output-dir",
                  dir.resolve("notebooks").toString(),
                  book.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(book.getFileName() + ".log").toFile());
      pb.environment().put("SHOAL_WORK", work.toString());
      Process p = pb.start();
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue())
          .as(book + ":\n" + Files.readString(dir.resolve(book.getFileName() + ".log")))
          .isZero();
    }
  }

  @Test
  void aRunOnTwoWorkersSurvivesLosingAWorkerAndEqualsAKilledAndResumedLocalRun() throws Exception {
    assertThat(JAR).as("the shaded jar (mvn package)").isRegularFile();
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.copy(JAR, home.resolve("jars/shoal.jar"));
    String jar = home.resolve("jars/shoal.jar").toString();

    int port = freePort();
    String master = "spark://127.0.0.1:" + port;
    Path masterLog = dir.resolve("master.log");
    start(
        List.of(
            "-cp",
            jar,
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--webui-port",
            String.valueOf(freePort())),
        masterLog);
    awaitLine(masterLog, "I have been elected leader", 60);
    List<Process> workers = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      Path log = dir.resolve("worker" + w + ".log");
      workers.add(
          start(
              List.of(
                  "-cp",
                  jar,
                  "org.apache.spark.deploy.worker.Worker",
                  "--host",
                  "127.0.0.1",
                  "--cores",
                  "1",
                  "--memory",
                  "2g",
                  "--webui-port",
                  String.valueOf(freePort()),
                  "--work-dir",
                  dir.resolve("w" + w).toString(),
                  master),
              log,
              "SPARK_HOME",
              home.toString(),
              "SPARK_SCALA_VERSION",
              "2.12"));
      awaitLine(log, "Successfully registered with master", 60);
    }

    Path clusterWork = dir.resolve("cluster");
    Process cluster =
        start(
            List.of(
                "-cp",
                jar,
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                master,
                "--class",
                Shoal.class.getName(),
                "--conf",
                "spark.executor.extraJavaOptions=" + String.join(" ", OPENS) + " " + QUICK_JIT,
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.ui.enabled=false",
                jar,
                "run",
                "--conf",
                conf(clusterWork).toString()),
            null);
    StringBuilder clusterOut = new StringBuilder();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (clusterOut) {
                    clusterOut.append(line).append('\n');
                  }
                  if (line.startsWith("[infer] scoring")) {
                    workers.get(1).destroyForcibly(); // lose a worker while inference runs
                  }
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    // Meanwhile in local mode: a run killed in training and resumed, whose outputs the notebooks
    // read.
    Path localWork = dir.resolve("local");
    runKilledInTrainingThenResumed(jar, localWork);
    executeNotebooks(localWork);

    assertThat(cluster.waitFor(15, TimeUnit.MINUTES)).as("cluster run finished").isTrue();
    reader.get(1, TimeUnit.MINUTES);
    assertThat(cluster.exitValue()).as(clusterOut.toString()).isZero();
    assertThat(workers.get(1).isAlive()).as("worker 2 was killed during the run").isFalse();
    assertThat(clusterOut).contains("[infer] scoring").contains("7 of 7 stages ran");
    awaitLine(masterLog, "Removing worker", 60);

    List<String> a = Files.readAllLines(localWork.resolve("evaluate/metrics.csv"));
    List<String> b = Files.readAllLines(clusterWork.resolve("evaluate/metrics.csv"));
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      String[] x = a.get(i).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
      String[] y = b.get(i).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
      assertThat(y).hasSameSizeAs(x);
      for (int j = 0; j < x.length; j++) {
        if (i > 0 && j >= 7) {
          assertThat(Double.parseDouble(y[j]))
              .as(a.get(i))
              .isCloseTo(Double.parseDouble(x[j]), within(1e-9));
        } else {
          assertThat(y[j]).isEqualTo(x[j]);
        }
      }
    }
  }
}
