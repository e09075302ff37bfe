#!/usr/bin/env python3
"""Writes the NetCDF-4 fixtures of TestGriddedCovariates (run with Debian's python3-netcdf4; outputs are committed).

grid.nc: 3 x 3 points x 2 depths x 3 days, CF order (time, depth, latitude, longitude).
  thetao (int16, packed): raw = 1000*t + 100*z + 10*y + x, scale_factor 0.001, add_offset 10, _FillValue -32767
         at (y=2, x=2) on every day (land) and at (t=1, z=0, y=0, x=0).
  mlotst (float32, 2-D): 9*t + 3*y + x, _FillValue -999 at (t=2, y=1, x=1).
  time: hours since 1950-01-01 -> 2020-01-01, 2020-01-02, 2020-01-03.
grid-360.nc: the same values on the same points, written the other way round: latitudes descending, longitudes in
  0..360, time in seconds since 1970-01-01 00:00:00, thetao as float32 with NaN fill and no packing.
bathymetry.nc: a static layer (no time): elevation (float64) = -100*(y+1) - x on the same 3 x 3 points.
"""
import numpy as np
import netCDF4 as nc

LATS = [50.0, 50.05, 50.5]
LONS = [-150.0, -149.95, -149.0]
FILL = -32767


def raw_thetao():
    raw = np.zeros((3, 2, 3, 3), dtype=np.int16)
    for t in range(3):
        for z in range(2):
            for y in range(3):
                for x in range(3):
                    raw[t, z, y, x] = 1000 * t + 100 * z + 10 * y + x
    raw[:, :, 2, 2] = FILL
    raw[1, 0, 0, 0] = FILL
    return raw


def mlotst():
    m = np.zeros((3, 3, 3), dtype=np.float32)
    for t in range(3):
        for y in range(3):
            for x in range(3):
                m[t, y, x] = 9 * t + 3 * y + x
    m[2, 1, 1] = -999
    return m


def grid():
    d = nc.Dataset("grid.nc", "w", format="NETCDF4")
    for name, n in (("time", 3), ("depth", 2), ("latitude", 3), ("longitude", 3)):
        d.createDimension(name, n)
    t = d.createVariable("time", "f8", ("time",))
    t.units = "hours since 1950-01-01"
    t.calendar = "gregorian"
    t[:] = [613608.0, 613632.0, 613656.0]
    d.createVariable("depth", "f4", ("depth",))[:] = [0.494, 30.0]
    d.createVariable("latitude", "f4", ("latitude",))[:] = LATS
    d.createVariable("longitude", "f4", ("longitude",))[:] = LONS
    v = d.createVariable("thetao", "i2", ("time", "depth", "latitude", "longitude"), fill_value=FILL, zlib=True)
    v.scale_factor = 0.001
    v.add_offset = 10.0
    v.set_auto_maskandscale(False)
    v[:] = raw_thetao()
    m = d.createVariable("mlotst", "f4", ("time", "latitude", "longitude"), fill_value=np.float32(-999))
    m.set_auto_maskandscale(False)
    m[:] = mlotst()
    d.close()


def grid_360():
    d = nc.Dataset("grid-360.nc", "w", format="NETCDF4")
    for name, n in (("time", 3), ("depth", 2), ("lat", 3), ("lon", 3)):
        d.createDimension(name, n)
    t = d.createVariable("time", "f8", ("time",))
    t.units = "seconds since 1970-01-01 00:00:00"
    t[:] = [1577836800.0 + 43200, 1577923200.0 + 43200, 1578009600.0 + 43200]
    d.createVariable("depth", "f4", ("depth",))[:] = [0.494, 30.0]
    d.createVariable("lat", "f8", ("lat",))[:] = LATS[::-1]
    d.createVariable("lon", "f8", ("lon",))[:] = [x + 360 for x in LONS]
    raw = raw_thetao().astype(np.float32)
    values = np.where(raw == FILL, np.nan, 10.0 + 0.001 * raw).astype(np.float32)
    v = d.createVariable("thetao", "f4", ("time", "depth", "lat", "lon"), fill_value=np.float32(np.nan))
    v[:] = values[:, :, ::-1, :]
    m = d.createVariable("mlotst", "f4", ("time", "lat", "lon"), fill_value=np.float32(-999))
    m.set_auto_maskandscale(False)
    m[:] = mlotst()[:, ::-1, :]
    d.close()


def bathymetry():
    d = nc.Dataset("bathymetry.nc", "w", format="NETCDF4")
    d.createDimension("lat", 3)
    d.createDimension("lon", 3)
    d.createVariable("lat", "f4", ("lat",))[:] = LATS
    d.createVariable("lon", "f4", ("lon",))[:] = LONS
    e = d.createVariable("elevation", "f8", ("lat", "lon"))
    e[:] = [[-100.0 * (y + 1) - x for x in range(3)] for y in range(3)]
    d.close()


if __name__ == "__main__":
    grid()
    grid_360()
    bathymetry()
