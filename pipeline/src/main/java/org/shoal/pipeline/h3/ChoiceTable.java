package org.shoal.pipeline.h3;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.shoal.pipeline.schema.Cols;

/**
 * The choice sets of the distinct origin cells as a lookup table (origin_cell, cell, distance_km,
 * bearing_deg): computed once per origin, not per decision, since tracks revisit few distinct
 * cells.
 */
public final class ChoiceTable {
  public static final String DISTANCE_KM = "distance_km";
  public static final String BEARING_DEG = "bearing_deg";

  public static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField(Cols.ORIGIN_CELL, DataTypes.StringType, false),
              DataTypes.createStructField(Cols.CELL, DataTypes.StringType, false),
              DataTypes.createStructField(DISTANCE_KM, DataTypes.DoubleType, false),
              DataTypes.createStructField(BEARING_DEG, DataTypes.DoubleType, false)));

  private ChoiceTable() {}

  public static Dataset<Row> of(Dataset<Row> origins, double radiusKm) {
    return origins
        .select(Cols.ORIGIN_CELL)
        .distinct()
        .mapPartitions(new Expand(radiusKm), Encoders.row(SCHEMA));
  }

  private static final class Expand implements MapPartitionsFunction<Row, Row> {
    private final double radiusKm;

    Expand(double radiusKm) {
      this.radiusKm = radiusKm;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> origins) {
      ChoiceSets sets = new ChoiceSets(radiusKm);
      List<Row> rows = new ArrayList<>();
      while (origins.hasNext()) {
        String origin = origins.next().getString(0);
        ChoiceSet set = sets.of(H3Cells.parse(origin));
        for (int i = 0; i < set.size(); i++) {
          rows.add(
              RowFactory.create(
                  origin,
                  H3Cells.address(set.cells()[i]),
                  set.distanceKm()[i],
                  set.bearingDeg()[i]));
        }
      }
      return rows.iterator();
    }
  }
}
