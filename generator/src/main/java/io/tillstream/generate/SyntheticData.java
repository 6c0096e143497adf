package io.tillstream.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deterministic synthetic retail sales events plus matching reference data.
 *
 * <p>Layout under {@code options.out()}:
 * <pre>
 *   events/events-00000.jsonl ...  JSON Lines, at most eventsPerFile lines each, '\n' endings, UTF-8 (ASCII in practice)
 *   dims/stores.csv                store_id,name,city,country,region,timezone
 *   dims/products.csv              sku,name,category,brand,unit_cost (200 skus, last row repeats SKU-00042: last row wins)
 *   dims/fx_rates.csv              date,currency,rate_to_reporting (EUR reporting; GBP/JPY/USD, weekdays only, no CHF)
 *   manifest.json                  options + report (+ a few extra counters), relative file names
 * </pre>
 * Same options give byte-identical files (the output directory itself is not part of any file). Stale
 * {@code events/events-*.jsonl} files from an earlier run into the same directory are deleted first.
 * See {@link GeneratorOptions} for the exact line accounting.
 */
public final class SyntheticData {
  private SyntheticData() {}

  /** Reporting currency of fx_rates.csv. */
  public static final String REPORTING_CURRENCY = "EUR";

  /**
   * Writes reference data, event files and manifest under {@code options.out()} in one streaming pass (memory does
   * not grow with {@code options.events()}).
   */
  public static GeneratorReport generate(GeneratorOptions options) throws IOException {
    return generate(options, f -> {});
  }

  /** As above; {@code fileStarted} is told each event file as its writing starts (progress). */
  public static GeneratorReport generate(GeneratorOptions options, Consumer<Path> fileStarted) throws IOException {
    Path out = options.out();
    Path eventsDir = out.resolve("events");
    Path dimsDir = out.resolve("dims");
    Files.createDirectories(eventsDir);
    Files.createDirectories(dimsDir);
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(eventsDir, "events-*.jsonl")) {
      for (Path p : stale) {
        Files.delete(p);
      }
    }
    ReferenceData.writeStores(dimsDir.resolve("stores.csv"));
    ReferenceData.writeProducts(dimsDir.resolve("products.csv"));
    ReferenceData.writeFx(dimsDir.resolve("fx_rates.csv"), options.startDate(), options.days());

    EventStream stream = new EventStream(options);
    stream.run(eventsDir, fileStarted);

    Map<String, Long> defects = new LinkedHashMap<>();
    for (DefectRule r : DefectRule.values()) {
      defects.put(r.id(), stream.defects[r.ordinal()]);
    }
    GeneratorReport report = new GeneratorReport(options.events(), stream.validEvents, stream.exactDuplicates,
        stream.conflictingDuplicates, defects, stream.unknownSkuLines, stream.lateEvents, stream.files);
    Files.writeString(out.resolve("manifest.json"), manifestJson(options, report, stream), StandardCharsets.UTF_8);
    return report;
  }

  /** Store id to ISO currency (the generator's internal mapping; not a column of stores.csv). */
  public static Map<String, String> storeCurrencies() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ReferenceData.Store s : ReferenceData.STORES) {
      m.put(s.id(), s.currencyCode());
    }
    return Collections.unmodifiableMap(m);
  }

  /** The defect rule ids in the order they are cycled through. */
  public static List<String> defectRuleIds() {
    List<String> ids = new ArrayList<>();
    for (DefectRule r : DefectRule.values()) {
      ids.add(r.id());
    }
    return List.copyOf(ids);
  }

  private static String manifestJson(GeneratorOptions o, GeneratorReport r, EventStream s) {
    StringBuilder sb = new StringBuilder(2048);
    sb.append("{\n  \"generator\": \"io.tillstream.generate.SyntheticData\",\n  \"generator_version\": 1,\n");
    sb.append("  \"options\": {\"events\": ").append(o.events())
        .append(", \"days\": ").append(o.days())
        .append(", \"seed\": ").append(o.seed())
        .append(", \"bad_rate\": ").append(o.badRate())
        .append(", \"dup_rate\": ").append(o.dupRate())
        .append(", \"late_rate\": ").append(o.lateRate())
        .append(", \"start_date\": \"").append(o.startDate())
        .append("\", \"events_per_file\": ").append(o.eventsPerFile()).append("},\n");
    sb.append("  \"report\": {\"lines_written\": ").append(r.linesWritten())
        .append(", \"valid_events\": ").append(r.validEvents())
        .append(", \"exact_duplicates\": ").append(r.exactDuplicates())
        .append(", \"conflicting_duplicates\": ").append(r.conflictingDuplicates())
        .append(", \"defective_lines\": ").append(r.defectiveLines())
        .append(",\n    \"defects_by_rule\": {");
    boolean first = true;
    for (Map.Entry<String, Long> e : r.defectsByRule().entrySet()) {
      sb.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
      first = false;
    }
    sb.append("},\n    \"unknown_sku_lines\": ").append(r.unknownSkuLines())
        .append(", \"late_events\": ").append(r.lateEvents())
        .append(",\n    \"files\": [");
    first = true;
    for (Path f : r.files()) {
      sb.append(first ? "" : ", ").append("\"events/").append(f.getFileName()).append('"');
      first = false;
    }
    sb.append("]},\n");
    sb.append("  \"extra\": {\"sales\": ").append(s.sales)
        .append(", \"refunds\": ").append(s.refunds)
        .append(", \"large_orders\": ").append(s.largeOrders)
        .append(", \"card_bursts\": ").append(s.cardBursts)
        .append(", \"multi_store_cards\": ").append(s.multiStoreCards).append("},\n");
    sb.append("  \"reporting_currency\": \"").append(REPORTING_CURRENCY).append("\",\n");
    sb.append("  \"store_currency\": {");
    first = true;
    for (Map.Entry<String, String> e : storeCurrencies().entrySet()) {
      sb.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
      first = false;
    }
    sb.append("}\n}\n");
    return sb.toString();
  }

  /**
   * Command line: {@code --out DIR --events N [--days D] [--seed S] [--bad-rate R] [--dup-rate R] [--late-rate R]
   * [--start-date YYYY-MM-DD] [--events-per-file N]}. Prints the report and the throughput.
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: SyntheticData --out DIR --events N [--days D] [--seed S] [--bad-rate R]"
            + " [--dup-rate R] [--late-rate R] [--start-date YYYY-MM-DD] [--events-per-file N]");
        System.exit(2);
      }
      a.put(args[i].substring(2), args[++i]);
    }
    if (!a.containsKey("out") || !a.containsKey("events")) {
      System.err.println("--out and --events are required");
      System.exit(2);
    }
    GeneratorOptions o = new GeneratorOptions(Paths.get(a.get("out")), Long.parseLong(a.get("events")),
        Integer.parseInt(a.getOrDefault("days", "7")), Long.parseLong(a.getOrDefault("seed", "42")),
        Double.parseDouble(a.getOrDefault("bad-rate", "0")), Double.parseDouble(a.getOrDefault("dup-rate", "0")),
        Double.parseDouble(a.getOrDefault("late-rate", "0")),
        LocalDate.parse(a.getOrDefault("start-date", GeneratorOptions.DEFAULT_START_DATE.toString())),
        Integer.parseInt(a.getOrDefault("events-per-file", Integer.toString(GeneratorOptions.DEFAULT_EVENTS_PER_FILE))));
    long t = System.nanoTime();
    GeneratorReport r = generate(o);
    double secs = (System.nanoTime() - t) / 1e9;
    System.out.println(r);
    System.out.printf("%d lines in %.2f s = %.0f lines/s%n", r.linesWritten(), secs, r.linesWritten() / secs);
  }
}
