package org.shoal.pipeline.tracks;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
final class CsvLine {
  private CsvLine() {}

  /**
   * The field separator of a header line: a comma, unless the line holds a single comma-separated
   * field and splits on semicolons (the CSV that spreadsheets write where the comma is the decimal
   * separator) or tabs.
   */
  static char delimiter(String header) {
    if (split(header, ',').size() > 1) {
      return ',';
    }
    for (char candidate : new char[] {';', '\t'}) {
      if (split(header, candidate).size() > 1) {
        return candidate;
      }
    }
    return ',';
  }

  /** The separator in words, for messages and reports. */
  static String name(char delimiter) {
    return switch (delimiter) {
      case ',' -> "comma";
      case ';' -> "semicolon";
      case '\t' -> "tab";
      default -> "'" + delimiter + "'";
    };
  }

  static List<String> split(String line) {
    return split(line, ',');
  }

  static List<String> split(String line, char delimiter) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
