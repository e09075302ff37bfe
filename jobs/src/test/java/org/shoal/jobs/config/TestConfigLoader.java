package org.shoal.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConfigLoader {
  @TempDir Path dir;

  private Path file(String text) throws IOException {
    Path f = dir.resolve("job.conf");
    Files.writeString(f, text);
    return f;
  }

  private static SimulateConfig simulate(Path file, Map<String, String> cli) {
    return SimulateConfig.from(new Settings(ConfigLoader.load(file, cli)));
  }

  @Test
  void cliBeatsFileBeatsReference() throws IOException {
    Path f = file("shoal.simulate { seed = 5, individuals = 7 }");
    SimulateConfig c = simulate(f, Map.of("shoal.simulate.seed", "9"));
    assertThat(c.setup().simulation().seed()).isEqualTo(9); // CLI
    assertThat(c.setup().simulation().individuals()).isEqualTo(7); // file
    assertThat(c.setup().world().resolution()).isEqualTo(4); // reference.conf
  }

  @Test
  void theShoalPrefixIsOptionalOnTheCommandLine() {
    assertThat(simulate(null, Map.of("simulate.seed", "3")).setup().simulation().seed())
        .isEqualTo(3);
  }

  @Test
  void outputsFollowAnOverriddenWorkDir() throws IOException {
    assertThat(simulate(null, Map.of("shoal.work-dir", "/data/run1")).output())
        .isEqualTo("/data/run1/world");
    assertThat(simulate(file("shoal.work-dir = /x"), Map.of()).output()).isEqualTo("/x/world");
  }

  @Test
  void anUnknownKeyIsNamedWithItsFileLineAndASuggestion() throws IOException {
    Path f = file("shoal.simulate {\n  seed = 1\n  radius = 50\n}\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("unknown config key 'shoal.simulate.radius'")
        .hasMessageContaining("job.conf: 3")
        .hasMessageContaining("did you mean 'shoal.simulate.radius-km'");
  }

  @Test
  void anUnknownCliKeyIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("shoal.simulate.sed", "1")))
        .hasMessageContaining("'shoal.simulate.sed'")
        .hasMessageContaining("command line");
  }

  @Test
  void sparkPropertiesAreFreeForm() {
    SparkConfig spark = spark(Map.of("shoal.spark.properties.\"spark.executor.memory\"", "4g"));
    assertThat(spark.properties()).containsEntry("spark.executor.memory", "4g");
    assertThat(spark.master()).isEqualTo("local[*]");
  }

  @Test
  void aNegativeRadiusNamesTheKeyValueAndFile() throws IOException {
    Path f = file("shoal.simulate.radius-km = -5\n");
    assertThatThrownBy(() -> simulate(f, Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("shoal.simulate.radius-km = -5")
        .hasMessageContaining("job.conf: 1")
        .hasMessageContaining("between 0.0 and");
  }

  @Test
  void aResolutionOutsideZeroToFifteenIsRejected() {
    assertThatThrownBy(() -> simulate(null, Map.of("shoal.simulate.resolution", "16")))
        .hasMessageContaining("shoal.simulate.resolution")
        .hasMessageContaining("between 0 and 15");
    assertThatThrownBy(() -> simulate(null, Map.of("shoal.simulate.resolution", "-1")))
        .hasMessageContaining("between 0 and 15");
  }

  @Test
  void parallelRunsDefaultToOnePerCoreAndCannotBeNegative() {
    assertThat(TrainConfig.from(new Settings(ConfigLoader.load(null, Map.of()))).parallelRuns())
        .isZero();
    assertThat(
            TrainConfig.from(
                    new Settings(ConfigLoader.load(null, Map.of("train.parallel-runs", "3"))))
                .parallelRuns())
        .isEqualTo(3);
    assertThatThrownBy(
            () ->
                TrainConfig.from(
                    new Settings(ConfigLoader.load(null, Map.of("train.parallel-runs", "-1")))))
        .hasMessageContaining("shoal.train.parallel-runs");
  }

  @Test
  void quickJitDefaultsToFourMegabytesAndCannotBeNegative() {
    SparkConfig defaults = spark(Map.of());
    assertThat(defaults.quickJitBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(defaults.smallInputBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(spark(Map.of("spark.quick-jit-mb", "0.5")).quickJitBytes()).isEqualTo(512L * 1024);
    assertThatThrownBy(() -> spark(Map.of("spark.quick-jit-mb", "-1")))
        .hasMessageContaining("shoal.spark.quick-jit-mb");
  }

  @Test
  void planningOnC1IsOnUnlessTurnedOff() {
    assertThat(spark(Map.of()).planningOnC1()).isTrue();
    assertThat(spark(Map.of("spark.planning-on-c1", "false")).planningOnC1()).isFalse();
  }

  private static SparkConfig spark(Map<String, String> overrides) {
    return SparkConfig.from(new Settings(ConfigLoader.load(null, overrides)));
  }

  @Test
  void aWrongTypeIsNamed() {
    assertThatThrownBy(() -> simulate(null, Map.of("shoal.simulate.individuals", "many")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("shoal.simulate.individuals");
  }

  @Test
  void aBadDateIsNamed() {
    assertThatThrownBy(() -> simulate(null, Map.of("shoal.simulate.start-date", "April")))
        .hasMessageContaining("shoal.simulate.start-date")
        .hasMessageContaining("ISO date");
  }

  @Test
  void maxDaysBelowMinDaysIsRejected() {
    assertThatThrownBy(
            () -> simulate(null, Map.of("simulate.min-days", "50", "simulate.max-days", "10")))
        .hasMessageContaining("shoal.simulate.max-days")
        .hasMessageContaining(">= min-days");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.conf");
    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("config file not found")
        .hasMessageContaining("nope.conf");
  }

  @Test
  void aSyntaxErrorNamesTheFile() throws IOException {
    Path f = file("shoal.simulate { seed = \n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("job.conf");
  }

  @Test
  void cliValuesCanBeListsObjectsAndNull() {
    ExpandConfig c =
        ExpandConfig.from(
            new Settings(
                ConfigLoader.load(
                    null,
                    Map.of(
                        "expand.tracks.attributes", "[a, b]",
                        "expand.covariates", "",
                        "expand.features.covariates", "null",
                        "expand.features.attributes", "{ a = minmax }"))));
    assertThat(c.params().tracks().attributes()).containsExactly("a", "b");
    assertThat(c.covariates()).isNull();
    assertThat(c.params().covariateTransforms()).isEmpty();
    assertThat(c.params().attributeTransforms()).containsOnlyKeys("a", "fork_length_cm");
  }

  @Test
  void covariateFeaturesWithoutACovariatesTableAreRejected() {
    assertThatThrownBy(
            () ->
                ExpandConfig.from(
                    new Settings(ConfigLoader.load(null, Map.of("expand.covariates", "")))))
        .hasMessageContaining("shoal.expand.features.covariates")
        .hasMessageContaining("need a covariates table");
  }

  @Test
  void anUnknownTransformOrFormatIsNamed() {
    assertThatThrownBy(
            () ->
                ExpandConfig.from(
                    new Settings(
                        ConfigLoader.load(
                            null, Map.of("expand.features.covariates.salinity", "sqrt")))))
        .hasMessageContaining("shoal.expand.features.covariates.salinity = sqrt")
        .hasMessageContaining("unknown transform");
    assertThatThrownBy(
            () ->
                ExpandConfig.from(
                    new Settings(ConfigLoader.load(null, Map.of("expand.tracks.format", "xlsx")))))
        .hasMessageContaining("shoal.expand.tracks.format = xlsx");
  }
}
