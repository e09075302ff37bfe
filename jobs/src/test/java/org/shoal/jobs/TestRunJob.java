package org.shoal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `shoal run`: incremental reruns, recovery from an interrupted stage, and publishing only complete
 * runs.
 */
class TestRunJob {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path conf() throws Exception {
    Path f = dir.resolve("small.conf");
    Files.writeString(
        f,
        String.join(
            "\n",
            "shoal {",
            "  work-dir = \"" + dir.resolve("work") + "\"",
            "  simulate { individuals = 10, min-days = 10, max-days = 20, individuals-per-partition = 3",
            "    region { min-lat = 52, max-lat = 56, min-lon = -150, max-lon = -140 } }",
            "  augment.copies = 1",
            "  contrasts { decisions-per-individual = 30, alternatives-per-decision = 4 }",
            "  train { hidden = [8], batch-size = 200, epochs = 3, learning-rate = 0.02 }",
            "  evaluate.exemplars = 1",
            "}"));
    return f;
  }

  private record Run(int code, String out) {
    List<String> ran() {
      List<String> stages = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("[run] stage ") && !line.contains("skipped")) {
          stages.add(line.substring("[run] stage ".length()).trim());
        }
      }
      return stages;
    }
  }

  private static Run run(String... args) {
    Cli.Result r = Cli.run(args);
    return new Run(r.code(), r.out());
  }

  @Test
  void rerunsOnlyWhatChangedRecoversFromAnInterruptedStageAndPublishesOnlyCompleteRuns()
      throws Exception {
    Path conf = conf();
    Path work = dir.resolve("work");
    List<String> all =
        List.of("simulate", "expand", "augment", "contrasts", "train", "infer", "evaluate");

    Run first = run("run", "--conf", conf.toString());
    assertThat(first.code()).isZero();
    assertThat(first.ran()).containsExactlyElementsOf(all);
    JsonNode latest = JSON.readTree(work.resolve("published/latest.json").toFile());
    assertThat(Path.of(latest.at("/report").asText())).isRegularFile();
    JsonNode manifest =
        JSON.readTree(Path.of(latest.at("/path").asText(), "manifest.json").toFile());
    assertThat(manifest.at("/stages")).hasSize(7);
    assertThat(manifest.at("/config/train/epochs").asInt()).isEqualTo(3);

    Run again = run("run", "--conf", conf.toString());
    assertThat(again.code()).isZero();
    assertThat(again.ran()).isEmpty();
    assertThat(again.out()).contains("0 of 7 stages ran").contains("nothing changed");
    assertThat(JSON.readTree(work.resolve("published/latest.json").toFile()).at("/path").asText())
        .isEqualTo(latest.at("/path").asText());

    // new track data (here: the same file, touched) reruns expand and everything after it, not
    // simulate
    Path tracks = work.resolve("world/tracks.csv");
    Files.setLastModifiedTime(
        tracks,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(tracks).toMillis() + 60_000));
    Run newTracks = run("run", "--conf", conf.toString());
    assertThat(newTracks.ran()).containsExactlyElementsOf(all.subList(1, all.size()));

    Run newRate = run("run", "--conf", conf.toString(), "-Dtrain.learning-rate=0.03");
    assertThat(newRate.ran()).containsExactly("train", "infer", "evaluate");
    String metrics = Files.readString(work.resolve("evaluate/metrics.csv"));
    String published =
        JSON.readTree(work.resolve("published/latest.json").toFile()).at("/path").asText();

    // a kill during training: its marker is gone and its output half-written
    Files.delete(work.resolve("train").resolve(Stages.MARKER));
    Files.delete(work.resolve("train/best.json"));
    Run resumed = run("run", "--conf", conf.toString(), "-Dtrain.learning-rate=0.03");
    assertThat(resumed.code()).isZero();
    assertThat(resumed.ran()).containsExactly("train", "infer", "evaluate");
    assertThat(Files.readString(work.resolve("evaluate/metrics.csv"))).isEqualTo(metrics);

    // a failing stage: the published results stay yesterday's
    String before = Files.readString(work.resolve("published/latest.json"));
    Run failed =
        run(
            "run",
            "--conf",
            conf.toString(),
            "-Dtrain.learning-rate=0.03",
            "-Devaluate.subsets.bad=no_such_column > 1");
    // (a subset you set on a column the data lack is your setting's error: exit code 2, naming it)
    assertThat(failed.code()).isEqualTo(Shoal.EXIT_USAGE);
    assertThat(Files.readString(work.resolve("published/latest.json"))).isEqualTo(before);
    assertThat(work.resolve("evaluate").resolve(Stages.MARKER)).doesNotExist();
    assertThat(published).isNotEqualTo(latest.at("/path").asText());
  }
}
