package org.shoal.jobs.config;

/** A configuration problem; the message names the key and where its value came from. */
public final class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}
