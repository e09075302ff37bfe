package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.shoal.jobs.config.ConfigLoader;
import org.shoal.jobs.config.Settings;
import org.shoal.jobs.config.SimulateConfig;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** What can be checked here of the files users drop into schedulers and clusters. */
class TestDeployFiles {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Set<String> JOBS = Shoal.commandLine().getSubcommands().keySet();

  @Test
  void everyShellScriptParses() throws Exception {
    List<Path> scripts =
        new ArrayList<>(
            List.of(
                ROOT.resolve("bin/shoal"), ROOT.resolve("bin/benchmark"), ROOT.resolve(".ci/run")));
    try (Stream<Path> deploy = Files.walk(ROOT.resolve("deploy"))) {
      deploy.filter(p -> p.toString().endsWith(".sh")).forEach(scripts::add);
    }
    for (Path s : scripts) {
      assertThat(Files.isExecutable(s)).as(s + " is executable").isTrue();
      Process p = new ProcessBuilder("bash", "-n", s.toString()).redirectErrorStream(true).start();
      assertThat(p.waitFor())
          .as("bash -n " + s + ": " + new String(p.getInputStream().readAllBytes()))
          .isZero();
    }
  }

  @Test
  void theNightlyConfigLoads() {
    Settings s = new Settings(ConfigLoader.load(ROOT.resolve("conf/nightly.conf"), Map.of()));
    assertThat(s.string("shoal.work-dir")).isEqualTo("work/nightly");
    assertThat(SimulateConfig.from(s).output()).isEqualTo("work/nightly/world");
  }

  @Test
  void cronAndSystemdRunTheNightlyScript() throws Exception {
    Path script = ROOT.resolve("deploy/nightly/shoal-nightly.sh");
    assertThat(Files.readString(script)).contains("bin/shoal run --conf");
    for (String line : Files.readAllLines(ROOT.resolve("deploy/nightly/crontab"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split("\\s+", 6);
      int[][] ranges = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
      for (int i = 0; i < 5; i++) {
        if (!f[i].equals("*")) {
          assertThat(Integer.parseInt(f[i]))
              .as("cron field " + i)
              .isBetween(ranges[i][0], ranges[i][1]);
        }
      }
      assertThat(f[5]).contains("deploy/nightly/shoal-nightly.sh");
    }
    String service = Files.readString(ROOT.resolve("deploy/nightly/shoal-nightly.service"));
    assertThat(service)
        .contains("[Unit]", "[Service]", "ExecStart=/opt/shoal/deploy/nightly/shoal-nightly.sh");
    String timer = Files.readString(ROOT.resolve("deploy/nightly/shoal-nightly.timer"));
    assertThat(timer).contains("[Timer]", "OnCalendar=*-*-* 02:30:00", "[Install]");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theKubernetesManifestRunsARealJobWithValidArguments() throws Exception {
    Map<String, Object> doc =
        new Yaml()
            .load(
                Files.readString(
                    ROOT.resolve("deploy/kubernetes/scheduled-spark-application.yaml")));
    assertThat(doc.get("kind")).isEqualTo("ScheduledSparkApplication");
    Map<String, Object> template =
        (Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get("template");
    assertThat(template.get("mainClass")).isEqualTo(Shoal.class.getName());
    List<String> args = (List<String>) template.get("arguments");
    assertThat(JOBS).contains(args.get(0));
    CommandLine.ParseResult parsed = Shoal.commandLine().parseArgs(args.toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(args.get(0));
    assertThat(template.get("sparkVersion"))
        .isEqualTo(org.apache.spark.package$.MODULE$.SPARK_VERSION());
  }

  @Test
  void theAirflowDagRunsEveryStageInOrderThenPublishes() throws Exception {
    String dag = Files.readString(ROOT.resolve("deploy/airflow/shoal_nightly.py"));
    Matcher m = Pattern.compile("STAGES = \\[(.*?)\\]").matcher(dag);
    assertThat(m.find()).isTrue();
    List<String> stages = new ArrayList<>();
    for (String s : m.group(1).split(",")) {
      stages.add(s.trim().replace("\"", ""));
    }
    assertThat(stages)
        .containsExactly(
            "simulate", "expand", "augment", "contrasts", "train", "infer", "evaluate");
    assertThat(JOBS).containsAll(stages).contains("run");
    assertThat(dag).contains("deploy/spark-submit.sh", "bash_command=f\"{SUBMIT} run {CONF}\"");
  }

  @Test
  void theDockerfileStartsShoalWithTheClusterProperties() throws Exception {
    String docker = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));
    assertThat(docker)
        .contains("--class\", \"" + Shoal.class.getName())
        .contains("conf/spark/cluster.properties");
    assertThat(ROOT.resolve("conf/spark/cluster.properties")).isRegularFile();
    assertThat(docker).contains("scala2.12-java17");
  }
}
