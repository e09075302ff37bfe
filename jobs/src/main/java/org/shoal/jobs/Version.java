package org.shoal.jobs;

/** shoal's version, from the jar's manifest. */
final class Version {
  private Version() {}

  /** The release, or "(development build)" when the classes do not come from a released jar. */
  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
