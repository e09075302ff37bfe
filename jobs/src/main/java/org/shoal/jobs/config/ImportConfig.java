package org.shoal.jobs.config;

import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.shoal.pipeline.features.Transform;
import org.shoal.pipeline.imports.ImportChoices;

/** The validated configuration of {@code shoal import} (keys under shoal.import). */
public record ImportConfig(String path, boolean parquet, String output, ImportChoices.Params params)
    implements StageConfig {
  private static final String K = "shoal.import.";

  @Override
  public List<String> inputs() {
    return List.of(path);
  }

  public static ImportConfig from(Settings s) {
    String path = s.string(K + "path");
    if (path.isBlank()) {
      throw s.invalid(K + "path", "name the table to import (a CSV or Parquet file or folder)");
    }
    String format = s.string(K + "format").trim().toLowerCase(Locale.ROOT);
    boolean parquet =
        switch (format) {
          case "" -> !path.toLowerCase(Locale.ROOT).matches(".*\\.csv(\\.gz)?$");
          case "csv" -> false;
          case "parquet" -> true;
          default ->
              throw s.invalid(
                  K + "format", "use csv, parquet, or \"\" to decide from the path's extension");
        };
    String c = K + "columns.";
    ImportChoices.Columns columns =
        new ImportChoices.Columns(
            s.optionalString(c + "individual"),
            s.requiredString(c + "decision", "must name a column"),
            s.requiredString(c + "selected", "must name a column"),
            s.optionalString(c + "choice"),
            s.optionalString(c + "alternative"),
            s.optionalString(c + "split"));
    Map<String, Transform> features = new LinkedHashMap<>();
    if (s.config().getValue(K + "features").valueType() == ConfigValueType.OBJECT) {
      for (String f : new TreeMap<>(s.flatStrings(K + "features")).keySet()) {
        features.put(f, s.choice(K + "features." + f, Transform::parse));
      }
    } else {
      for (String f : s.strings(K + "features")) {
        features.put(f, Transform.IDENTITY);
      }
    }
    boolean constants = s.bool(K + "alternative-constants");
    if ((constants || !s.strings(K + "interactions").isEmpty()) && columns.alternative() == null) {
      throw s.invalid(
          K + (constants ? "alternative-constants" : "interactions"),
          "alternative constants and interactions need " + c + "alternative");
    }
    return new ImportConfig(
        path,
        parquet,
        s.string(K + "output"),
        new ImportChoices.Params(
            columns,
            features,
            constants,
            s.optionalString(K + "base-alternative"),
            s.strings(K + "interactions"),
            s.integer(K + "split.seed"),
            s.number(K + "split.validation-fraction", 0, 1)));
  }
}
