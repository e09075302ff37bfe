package org.shoal.pipeline.covariates;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.shoal.pipeline.geo.LatLonBox;

/**
 * One NetCDF-4 (HDF5) file on a rectilinear latitude/longitude grid, read with CF conventions:
 * coordinate variables found by name, {@code standard_name}, {@code axis} or {@code units}; a
 * variable's dimensions resolved through its HDF5 dimension scales ({@code DIMENSION_LIST}),
 * netCDF's dimension ids, or CF order (T, Z, Y, X); packed values unpacked ({@code scale_factor},
 * {@code add_offset}) after {@code _FillValue}/{@code missing_value} are set aside. Only the box
 * (and the depth levels inside the bins) is read.
 */
public final class NetcdfGrid implements AutoCloseable {
  private enum Role {
    TIME,
    DEPTH,
    LAT,
    LON,
    OTHER
  }

  private static final List<String> LAT_NAMES = List.of("latitude", "lat", "nav_lat");
  private static final List<String> LON_NAMES = List.of("longitude", "lon", "long", "nav_lon");
  private static final List<String> DEPTH_NAMES =
      List.of("depth", "deptht", "depthu", "depthv", "lev", "level", "z");
  private static final List<String> TIME_NAMES = List.of("time", "t", "time_counter");

  private final String name;
  private final HdfFile file;
  private final Dataset lat;
  private final Dataset lon;
  private final Dataset depth;
  private final Dataset time;
  private final double[] lats;
  private final double[] lons;
  private final double[] depths;
  private final LocalDate[] dates;

  private NetcdfGrid(String name, HdfFile file) {
    this.name = name;
    this.file = file;
    Map<String, Dataset> datasets = new LinkedHashMap<>();
    for (Node n : file) {
      if (n instanceof Dataset d) {
        datasets.put(n.getName(), d);
      }
    }
    lat = coordinate(datasets, LAT_NAMES, "latitude", "degrees_north", "Y");
    lon = coordinate(datasets, LON_NAMES, "longitude", "degrees_east", "X");
    if (lat == null || lon == null) {
      throw new IllegalArgumentException(
          name
              + ": no "
              + (lat == null ? "latitude" : "longitude")
              + " coordinate variable (looked for "
              + (lat == null ? LAT_NAMES : LON_NAMES)
              + " or the CF standard_name); its variables are "
              + datasets.keySet());
    }
    if (lat.getDimensions().length != 1 || lon.getDimensions().length != 1) {
      throw new IllegalArgumentException(
          name
              + ": latitude and longitude are not 1-D coordinate variables (a curvilinear grid); regrid it to a regular"
              + " latitude/longitude grid first");
    }
    depth = coordinate(datasets, DEPTH_NAMES, "depth", null, "Z");
    Dataset t = coordinate(datasets, TIME_NAMES, "time", null, "T");
    time = t != null && t.getDimensions().length == 1 ? t : null;
    lats = values(lat);
    lons = values(lon);
    for (int i = 0; i < lons.length; i++) {
      lons[i] = LatLonBox.wrap(lons[i]);
    }
    depths = depth == null ? new double[0] : values(depth);
    if (time == null) {
      dates = new LocalDate[0];
    } else {
      CfTime cf =
          CfTime.parse(
              text(time, "units"), text(time, "calendar"), name + " variable " + time.getName());
      double[] v = values(time);
      dates = new LocalDate[v.length];
      for (int i = 0; i < v.length; i++) {
        dates[i] = cf.date(v[i]);
      }
    }
  }

  /** Opens a local file; {@code name} is how messages call it (the user's path). */
  public static NetcdfGrid open(Path local, String name) {
    HdfFile f;
    try {
      f = new HdfFile(local);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          name + " is not a NetCDF-4/HDF5 file: " + e.getMessage(), e);
    }
    try {
      return new NetcdfGrid(name, f);
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /** The dates of the time axis, one per time index; empty for a static (time-less) file. */
  public LocalDate[] dates() {
    return dates.clone();
  }

  public boolean hasTime() {
    return time != null;
  }

  public double[] depths() {
    return depths.clone();
  }

  /**
   * The names of the file's variables among {@code wanted} (exact, else case-insensitive match),
   * wanted -> file's.
   */
  public Map<String, String> find(List<String> wanted) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Node n : file) {
      if (n instanceof Dataset) {
        names.add(n.getName());
      }
    }
    for (String w : wanted) {
      org.shoal.pipeline.util.Names.find(w, names).ifPresent(n -> out.put(w, n));
    }
    return out;
  }

  /**
   * The part of the grid inside {@code box}: which latitude rows and longitude columns are read.
   */
  public Selection select(LatLonBox box) {
    List<Integer> ys = new ArrayList<>();
    for (int y = 0; y < lats.length; y++) {
      if (box.containsLat(lats[y])) {
        ys.add(y);
      }
    }
    List<Integer> xs = new ArrayList<>();
    for (int x = 0; x < lons.length; x++) {
      if (box.containsLon(lons[x])) {
        xs.add(x);
      }
    }
    int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
    int[] x = xs.stream().mapToInt(Integer::intValue).toArray();
    double[] gl = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      gl[i] = lats[y[i]];
    }
    double[] gx = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      gx[i] = lons[x[i]];
    }
    return new Selection(y, x, new Grid(gl, gx));
  }

  /** The rows and columns of the file read, and the grid they make. */
  public record Selection(int[] rows, int[] columns, Grid grid) implements java.io.Serializable {}

  /**
   * One time step of a variable, averaged over the depth levels of each bin: {@code [bin][point]}
   * (one bin for a variable without depth), NaN where no level holds a valid value.
   *
   * @param timeIndex the time index, or -1 for a static file
   */
  public double[][] read(String variable, int timeIndex, Selection sel, DepthBins bins) {
    Dataset d = (Dataset) file.getByPath(variable);
    int[] shape = d.getDimensions();
    Role[] roles = roles(d);
    boolean hasDepth = false;
    for (Role r : roles) {
      hasDepth |= r == Role.DEPTH;
    }
    int[] levelBin = new int[hasDepth ? depths.length : 1];
    int z0 = Integer.MAX_VALUE;
    int z1 = -1;
    for (int z = 0; z < levelBin.length; z++) {
      levelBin[z] = hasDepth ? bins.binOf(depths[z]) : 0;
      if (levelBin[z] >= 0) {
        z0 = Math.min(z0, z);
        z1 = Math.max(z1, z);
      }
    }
    int nBins = hasDepth ? bins.count() : 1;
    int ny = sel.rows().length;
    int nx = sel.columns().length;
    double[][] sum = new double[nBins][ny * nx];
    int[][] n = new int[nBins][ny * nx];
    if (ny == 0 || nx == 0 || z1 < 0) {
      return nanFilled(sum, n);
    }
    Packing packing = Packing.of(d, name);
    int y0 = sel.rows()[0];
    int yLen = sel.rows()[ny - 1] - y0 + 1;
    for (int[] run : runs(sel.columns())) {
      long[] offset = new long[shape.length];
      int[] size = new int[shape.length];
      for (int k = 0; k < shape.length; k++) {
        switch (roles[k]) {
          case TIME -> {
            offset[k] = Math.max(timeIndex, 0);
            size[k] = 1;
          }
          case DEPTH -> {
            offset[k] = z0;
            size[k] = z1 - z0 + 1;
          }
          case LAT -> {
            offset[k] = y0;
            size[k] = yLen;
          }
          case LON -> {
            offset[k] = sel.columns()[run[0]];
            size[k] = run[1];
          }
          default -> {
            if (shape[k] != 1) {
              throw new IllegalArgumentException(
                  name
                      + ": variable "
                      + variable
                      + " has a dimension of size "
                      + shape[k]
                      + " that is not time, depth,"
                      + " latitude or longitude");
            }
            size[k] = 1;
          }
        }
      }
      double[] flat = flatten(d.getData(offset, size), size);
      int[] stride = new int[shape.length];
      int s = 1;
      for (int k = shape.length - 1; k >= 0; k--) {
        stride[k] = s;
        s *= size[k];
      }
      int zs = 0;
      int ys = 0;
      int xs = 0;
      for (int k = 0; k < shape.length; k++) {
        if (roles[k] == Role.DEPTH) {
          zs = stride[k];
        } else if (roles[k] == Role.LAT) {
          ys = stride[k];
        } else if (roles[k] == Role.LON) {
          xs = stride[k];
        }
      }
      int levels = hasDepth ? z1 - z0 + 1 : 1;
      for (int yi = 0; yi < ny; yi++) {
        int yy = sel.rows()[yi] - y0;
        for (int xi = run[0]; xi < run[0] + run[1]; xi++) {
          int xx = xi - run[0];
          int point = yi * nx + xi;
          for (int zz = 0; zz < levels; zz++) {
            int bin = levelBin[hasDepth ? z0 + zz : 0];
            if (bin < 0) {
              continue;
            }
            double v = packing.unpack(flat[zz * zs + yy * ys + xx * xs]);
            if (!Double.isNaN(v)) {
              sum[hasDepth ? bin : 0][point] += v;
              n[hasDepth ? bin : 0][point]++;
            }
          }
        }
      }
    }
    return nanFilled(sum, n);
  }

  /** Whether a variable has a depth dimension (its output has one column per depth bin). */
  public boolean hasDepth(String variable) {
    for (Role r : roles((Dataset) file.getByPath(variable))) {
      if (r == Role.DEPTH) {
        return true;
      }
    }
    return false;
  }

  private static double[][] nanFilled(double[][] sum, int[][] n) {
    for (int b = 0; b < sum.length; b++) {
      for (int p = 0; p < sum[b].length; p++) {
        sum[b][p] = n[b][p] == 0 ? Double.NaN : sum[b][p] / n[b][p];
      }
    }
    return sum;
  }

  /** Contiguous runs {start position in the selection, length} of selected file columns. */
  private static List<int[]> runs(int[] columns) {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= columns.length; i++) {
      if (i == columns.length || columns[i] != columns[i - 1] + 1) {
        out.add(new int[] {start, i - start});
        start = i;
      }
    }
    return out;
  }

  private Role[] roles(Dataset d) {
    int rank = d.getDimensions().length;
    Role[] roles = new Role[rank];
    Map<Long, Role> byAddress = new HashMap<>();
    byAddress.put(lat.getAddress(), Role.LAT);
    byAddress.put(lon.getAddress(), Role.LON);
    if (depth != null) {
      byAddress.put(depth.getAddress(), Role.DEPTH);
    }
    if (time != null) {
      byAddress.put(time.getAddress(), Role.TIME);
    }
    Attribute list = d.getAttribute("DIMENSION_LIST");
    if (list != null) {
      Object refs = list.getData();
      if (refs != null && refs.getClass().isArray() && Array.getLength(refs) == rank) {
        for (int k = 0; k < rank; k++) {
          Object ref = Array.get(refs, k);
          long address =
              ref != null && ref.getClass().isArray() && Array.getLength(ref) > 0
                  ? ((Number) Array.get(ref, 0)).longValue()
                  : -1;
          roles[k] = byAddress.getOrDefault(address, Role.OTHER);
        }
        return checked(d, roles);
      }
    }
    Attribute ids = d.getAttribute("_Netcdf4Coordinates");
    if (ids != null) {
      Map<Long, Role> byId = new HashMap<>();
      putId(byId, lat, Role.LAT);
      putId(byId, lon, Role.LON);
      putId(byId, depth, Role.DEPTH);
      putId(byId, time, Role.TIME);
      double[] v = numbers(ids.getData());
      if (v.length == rank) {
        for (int k = 0; k < rank; k++) {
          roles[k] = byId.getOrDefault((long) v[k], Role.OTHER);
        }
        return checked(d, roles);
      }
    }
    // CF order: time, depth, latitude, longitude, with the ones the file has
    List<Role> order = new ArrayList<>();
    if (time != null) {
      order.add(Role.TIME);
    }
    if (depth != null) {
      order.add(Role.DEPTH);
    }
    order.add(Role.LAT);
    order.add(Role.LON);
    List<Role> tail = order.subList(Math.max(0, order.size() - rank), order.size());
    if (rank == 3 && time != null && depth != null) {
      tail = List.of(Role.TIME, Role.LAT, Role.LON);
    }
    for (int k = 0; k < rank; k++) {
      roles[k] = tail.get(k);
    }
    return checked(d, roles);
  }

  private static void putId(Map<Long, Role> byId, Dataset coordinate, Role role) {
    if (coordinate == null) {
      return;
    }
    Attribute a = coordinate.getAttribute("_Netcdf4Dimid");
    if (a != null) {
      double[] v = numbers(a.getData());
      if (v.length == 1) {
        byId.put((long) v[0], role);
      }
    }
  }

  private Role[] checked(Dataset d, Role[] roles) {
    int[] shape = d.getDimensions();
    boolean hasLat = false;
    boolean hasLon = false;
    for (int k = 0; k < roles.length; k++) {
      int expected =
          switch (roles[k]) {
            case LAT -> lats.length;
            case LON -> lons.length;
            case DEPTH -> depths.length;
            case TIME -> dates.length;
            default -> shape[k];
          };
      if (shape[k] != expected) {
        throw new IllegalArgumentException(
            name
                + ": variable "
                + d.getName()
                + " has shape "
                + java.util.Arrays.toString(shape)
                + " which does not match its coordinates ("
                + roles[k].name().toLowerCase(Locale.ROOT)
                + " has "
                + expected
                + ")");
      }
      hasLat |= roles[k] == Role.LAT;
      hasLon |= roles[k] == Role.LON;
    }
    if (!hasLat || !hasLon) {
      throw new IllegalArgumentException(
          name
              + ": variable "
              + d.getName()
              + " is not on the latitude/longitude grid (dimensions "
              + java.util.Arrays.toString(roles)
              + ")");
    }
    return roles;
  }

  private static Dataset coordinate(
      Map<String, Dataset> datasets,
      List<String> names,
      String standardName,
      String units,
      String axis) {
    for (String n : names) {
      for (Map.Entry<String, Dataset> e : datasets.entrySet()) {
        if (e.getKey().equalsIgnoreCase(n)) {
          return e.getValue();
        }
      }
    }
    for (Dataset d : datasets.values()) {
      if (standardName.equalsIgnoreCase(text(d, "standard_name"))
          || (units != null && units.equalsIgnoreCase(text(d, "units")))
          || (d.getDimensions().length == 1 && axis.equalsIgnoreCase(text(d, "axis")))) {
        return d;
      }
    }
    return null;
  }

  static String text(Node n, String attribute) {
    Attribute a = n.getAttribute(attribute);
    if (a == null) {
      return null;
    }
    Object v = a.getData();
    if (v != null && v.getClass().isArray() && Array.getLength(v) == 1) {
      v = Array.get(v, 0);
    }
    return v == null ? null : v.toString();
  }

  static double[] numbers(Object v) {
    if (v == null) {
      return new double[0];
    }
    if (!v.getClass().isArray()) {
      return v instanceof Number x ? new double[] {x.doubleValue()} : new double[0];
    }
    double[] out = new double[Array.getLength(v)];
    for (int i = 0; i < out.length; i++) {
      Object e = Array.get(v, i);
      out[i] = e instanceof Number x ? x.doubleValue() : Double.NaN;
    }
    return out;
  }

  private double[] values(Dataset d) {
    Packing p = Packing.of(d, name);
    double[] raw = flatten(d.getData(), d.getDimensions());
    for (int i = 0; i < raw.length; i++) {
      raw[i] = p.unpack(raw[i]);
    }
    return raw;
  }

  /** A (nested) primitive array of the given shape, row-major, as doubles. */
  static double[] flatten(Object data, int[] shape) {
    int total = 1;
    for (int s : shape) {
      total *= s;
    }
    double[] out = new double[total];
    int[] at = {0};
    fill(data, out, at);
    return out;
  }

  private static void fill(Object data, double[] out, int[] at) {
    if (data instanceof double[] a) {
      System.arraycopy(a, 0, out, at[0], a.length);
      at[0] += a.length;
    } else if (data instanceof float[] a) {
      for (float v : a) {
        out[at[0]++] = v;
      }
    } else if (data instanceof short[] a) {
      for (short v : a) {
        out[at[0]++] = v;
      }
    } else if (data instanceof int[] a) {
      for (int v : a) {
        out[at[0]++] = v;
      }
    } else if (data instanceof long[] a) {
      for (long v : a) {
        out[at[0]++] = v;
      }
    } else if (data instanceof byte[] a) {
      for (byte v : a) {
        out[at[0]++] = v;
      }
    } else if (data instanceof Object[] a) {
      for (Object o : a) {
        fill(o, out, at);
      }
    } else if (data instanceof Number x) {
      out[at[0]++] = x.doubleValue();
    } else {
      throw new IllegalArgumentException(
          "unsupported NetCDF value type "
              + (data == null ? "null" : data.getClass().getSimpleName()));
    }
  }

  /**
   * CF packing: raw values equal to a fill or missing value are NaN; others become raw * scale +
   * offset.
   */
  record Packing(double fill, double missing, double scale, double offset) {
    static Packing of(Dataset d, String file) {
      double fill = first(d, "_FillValue", Double.NaN);
      if (Double.isNaN(fill) && d.getFillValue() instanceof Number f) {
        fill = f.doubleValue();
      }
      return new Packing(
          fill,
          first(d, "missing_value", Double.NaN),
          first(d, "scale_factor", 1),
          first(d, "add_offset", 0));
    }

    private static double first(Dataset d, String attribute, double otherwise) {
      Attribute a = d.getAttribute(attribute);
      if (a == null) {
        return otherwise;
      }
      double[] v = numbers(a.getData());
      return v.length == 0 ? otherwise : v[0];
    }

    double unpack(double raw) {
      if (Double.isNaN(raw) || raw == fill || raw == missing) {
        return Double.NaN;
      }
      return raw * scale + offset;
    }
  }

  @Override
  public void close() {
    file.close();
  }

  @Override
  public String toString() {
    return name;
  }
}
