package io.tillstream.jobs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tillstream.jobs.cli.VersionInfo;
import io.tillstream.jobs.report.ReportData.Headline;
import io.tillstream.jobs.report.ReportData.Section;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The report as one self-contained HTML page: headline figures and tables rendered here (every text from the data
 * HTML-escaped), the charts drawn in the browser by ECharts, inlined from the webjar on the classpath, from one JSON
 * block written by Jackson. Nothing is fetched over the network.
 *
 * <p>For tests and scripts: each chart is a {@code div[data-chart]} with a stable id ({@code chart-...}) that gets
 * {@code data-drawn="true"} once ECharts has drawn it; each headline figure a {@code [data-figure]} with the exact
 * value in {@code data-value}; each table a {@code table[data-table]} whose cells carry {@code data-col} and the exact
 * value in {@code data-value}.
 */
public final class ReportPage {
  /** What the page says about where its figures come from. */
  public record Meta(String lake, Instant generatedAt) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The whole page, with {@code echarts} (the library's source) inlined. */
  public static String render(ReportData data, Meta meta, String echarts) {
    StringBuilder h = new StringBuilder(echarts.length() + 64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Tillstream report</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");
    header(h, data, meta);
    headline(h, data.headline());

    h.append("<section id=\"sales\">\n<h2>Net sales by business date and store</h2>\n")
        .append("<p class=\"note\">net_amount of gold.daily_sales: sale lines after discounts, before refunds,"
            + " stacked by store.</p>\n");
    chart(h, "net-sales", true);
    h.append("</section>\n");

    h.append("<section id=\"categories\">\n<h2>Category mix</h2>\n")
        .append("<p class=\"note\">Share of net sales (net_amount) by product category, gold.daily_sales.</p>\n")
        .append("<div class=\"row\">");
    chart(h, "category-mix", false);
    table(h, "category-mix", data.section(ReportData.CATEGORY_MIX));
    h.append("</div>\n</section>\n");

    h.append("<section id=\"refunds\">\n<h2>Refunds</h2>\n")
        .append("<p class=\"note\">refund_amount per business date (bars) and the refund share of that day,"
            + " refund_amount / net_amount in percent (line).</p>\n");
    chart(h, "refunds", true);
    h.append("</section>\n");

    h.append("<section id=\"products\">\n<h2>Top products</h2>\n")
        .append("<p class=\"note\">The ").append(ReportData.TOP_PRODUCTS).append(" SKUs with the largest net sales"
            + " in the range (gold.product_trends); trend score and rank in category of their latest date. Right:"
            + " the 7-day moving average of net sales of the first ").append(ReportData.TRENDED_PRODUCTS)
        .append(".</p>\n<div class=\"row\">");
    chart(h, "top-products", false);
    chart(h, "product-trend", false);
    h.append("</div>\n");
    table(h, "top-products", data.section(ReportData.TOP_PRODUCTS_SECTION));
    h.append("</section>\n");

    h.append("<section id=\"suspicious\">\n<h2>Suspicious transactions</h2>\n")
        .append("<p class=\"note\">gold.suspicious_transactions by rule; card tokens cut to their first ")
        .append(ReportData.TOKEN_PREFIX).append(" characters; at most ").append(ReportData.SUSPICIOUS_ROWS)
        .append(" rows listed.</p>\n<div class=\"row\">");
    chart(h, "suspicious", false);
    table(h, "suspicious-by-rule", data.section(ReportData.SUSPICIOUS_BY_RULE));
    h.append("</div>\n");
    table(h, "suspicious", data.section(ReportData.SUSPICIOUS));
    h.append("</section>\n");

    h.append("<section id=\"quarantine\">\n<h2>Quarantine by rule</h2>\n")
        .append("<p class=\"note\">silver.quarantine by business date; a record that broke several rules counts"
            + " for each. Records without a business date (\"no date\") are shown only without --from/--to.</p>\n")
        .append("<div class=\"row\">");
    chart(h, "quarantine", false);
    table(h, "quarantine-by-rule", data.section(ReportData.QUARANTINE_BY_RULE));
    h.append("</div>\n</section>\n");

    h.append("<section id=\"runs\">\n<h2>Run history</h2>\n")
        .append("<p class=\"note\">Every run in ops.runs (all dates, whatever the range): records accepted,"
            + " quarantined and duplicate (bars) and duration in seconds (line).</p>\n");
    chart(h, "runs", true);
    table(h, "runs", data.section(ReportData.RUNS));
    h.append("</section>\n");

    h.append("<footer>Charts: Apache ECharts ").append(echartsVersion())
        .append(", inlined. Amounts in the reporting currency, exact to the cent.</footer>\n");
    h.append("<script type=\"application/json\" id=\"report-data\">").append(json(data)).append("</script>\n");
    h.append("<script>").append(scriptText(echarts)).append("</script>\n");
    h.append("<script>").append(SCRIPT).append("</script>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, ReportData data, Meta meta) {
    String range = data.from() == null && data.to() == null ? "all business dates"
        : "business dates " + (data.from() == null ? "…" : data.from()) + " to " + (data.to() == null ? "…"
            : data.to());
    h.append("<header>\n<h1>Tillstream report</h1>\n<p class=\"meta\">Lake <code id=\"lake\">")
        .append(html(meta.lake())).append("</code> · <span id=\"range\" data-from=\"")
        .append(data.from() == null ? "" : data.from()).append("\" data-to=\"")
        .append(data.to() == null ? "" : data.to()).append("\">").append(html(range))
        .append("</span> · generated ").append(TIME.format(meta.generatedAt())).append(" UTC</p>\n");
    if (!data.missingTables().isEmpty()) {
      h.append("<p class=\"missing\" id=\"missing-tables\">Not in this lake (their sections are empty): ")
          .append(html(String.join(", ", data.missingTables()))).append("</p>\n");
    }
    h.append("</header>\n");
  }

  private static void headline(StringBuilder h, Headline f) {
    h.append("<section id=\"headline\" class=\"figures\">\n");
    figure(h, "net_sales", "Net sales (net_amount)", f.netSales());
    figure(h, "refunds", "Refunds (refund_amount)", f.refunds());
    figure(h, "net_after_refunds", "Net after refunds", f.netAfterRefunds());
    figure(h, "refund_share_pct", "Refund share, whole range (%)", f.refundSharePct());
    figure(h, "orders", "Orders (with a sale line)", f.orders());
    figure(h, "quarantined", "Quarantined records", f.quarantined());
    figure(h, "suspicious", "Suspicious transactions", f.suspicious());
    figure(h, "runs", "Runs (ops.runs)", f.runs());
    h.append("</section>\n");
  }

  private static void figure(StringBuilder h, String name, String label, Object value) {
    h.append("<div class=\"figure\" id=\"figure-").append(name.replace('_', '-')).append("\" data-figure=\"")
        .append(name).append("\" data-value=\"").append(html(exact(value))).append("\"><div class=\"label\">")
        .append(html(label)).append("</div><div class=\"value\">").append(html(display(value)))
        .append("</div></div>\n");
  }

  private static void chart(StringBuilder h, String name, boolean wide) {
    h.append("<div class=\"chart").append(wide ? " wide" : "").append("\" id=\"chart-").append(name)
        .append("\" data-chart=\"").append(name).append("\"></div>");
  }

  /** A table of {@code s}: a header of column names, each cell with its column and exact value. */
  static void table(StringBuilder h, String name, Section s) {
    h.append("<div class=\"table-wrap\"><table id=\"table-").append(name).append("\" data-table=\"").append(name)
        .append("\" data-rows=\"").append(s.rows().size()).append("\">\n<thead><tr>");
    for (String c : s.columns()) {
      h.append("<th>").append(html(c)).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    if (s.rows().isEmpty()) {
      h.append("<tr class=\"empty\"><td colspan=\"").append(s.columns().size()).append("\">no rows</td></tr>\n");
    }
    for (List<Object> r : s.rows()) {
      h.append("<tr>");
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        h.append("<td data-col=\"").append(html(s.columns().get(i))).append("\" data-value=\"")
            .append(html(exact(v))).append('"').append(v instanceof Number ? " class=\"num\"" : "").append('>')
            .append(html(display(v))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table></div>");
  }

  /** The report's data as JSON for the page's script; safe inside a script element (no {@code <} left). */
  static String json(ReportData data) {
    Map<String, Object> root = new LinkedHashMap<>();
    Headline f = data.headline();
    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("net_sales", exact(f.netSales()));
    headline.put("refunds", exact(f.refunds()));
    headline.put("net_after_refunds", exact(f.netAfterRefunds()));
    headline.put("refund_share_pct", exact(f.refundSharePct()));
    headline.put("orders", f.orders());
    headline.put("quarantined", f.quarantined());
    headline.put("suspicious", f.suspicious());
    headline.put("runs", f.runs());
    root.put("headline", headline);
    Map<String, Object> sections = new LinkedHashMap<>();
    data.sections().forEach((name, s) -> {
      List<List<Object>> rows = new ArrayList<>();
      for (List<Object> r : s.rows()) {
        rows.add(r.stream().map(v -> v instanceof BigDecimal b ? (Object) b.toPlainString() : v).toList());
      }
      sections.put(name, Map.of("columns", s.columns(), "rows", rows));
    });
    root.put("sections", sections);
    try {
      return scriptSafeJson(JSON.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report's data as JSON", e);
    }
  }

  /** JSON with {@code <}, {@code >} and {@code &} as unicode escapes: they occur only inside JSON strings. */
  static String scriptSafeJson(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  /** Script source that cannot end its script element early: every {@code </script} becomes {@code <\/script}. */
  static String scriptText(String js) {
    Matcher m = Pattern.compile("</(script)", Pattern.CASE_INSENSITIVE).matcher(js);
    return m.replaceAll(r -> Matcher.quoteReplacement("<\\/" + r.group(1))).replace("<!--", "<\\!--");
  }

  /** The echarts.min.js the build bundled (the webjar's). */
  public static String echarts() {
    String path = "/META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/echarts.min.js";
    try (InputStream in = ReportPage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the classpath (the org.webjars.npm:echarts jar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ECharts version the build bundles (version.properties, from the root pom). */
  public static String echartsVersion() {
    return VersionInfo.buildProperty("echartsVersion");
  }

  static String html(String text) {
    return StringEscapeUtils.escapeHtml4(text);
  }

  /** The exact value as text: amounts with all their decimals, null as empty. */
  static String exact(Object v) {
    return v == null ? "" : v instanceof BigDecimal b ? b.toPlainString() : v.toString();
  }

  /** The value as shown: amounts and counts with thousands separators, null as "n/a". */
  static String display(Object v) {
    if (v == null) {
      return "n/a";
    }
    if (v instanceof BigDecimal b) {
      return new DecimalFormat("#,##0.00##", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(b);
    }
    if (v instanceof Long || v instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return v.toString();
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private static final String CSS = """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 16px 24px;
        max-width: 1400px; color: #1f2933; background: #fafbfc; }
      h1 { margin: 0 0 4px; font-size: 26px; }
      h2 { font-size: 19px; margin: 0 0 4px; }
      section { background: #fff; border: 1px solid #e1e4e8; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
      .meta, .note, footer { color: #52606d; font-size: 13px; margin: 2px 0 8px; }
      .missing { color: #a61b1b; font-size: 13px; }
      .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
      .figure { border-left: 4px solid #3b6fb6; padding: 4px 10px; }
      .figure .label { font-size: 12px; color: #52606d; }
      .figure .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
      .row { display: flex; gap: 16px; align-items: flex-start; }
      .row > * { flex: 1 1 0; min-width: 0; }
      .chart { height: 340px; min-width: 300px; }
      .chart.wide { width: 100%; }
      .table-wrap { max-height: 360px; overflow: auto; margin-top: 8px; }
      table { border-collapse: collapse; font-size: 12px; width: 100%; }
      th, td { padding: 3px 8px; border-bottom: 1px solid #eceff1; text-align: left; white-space: nowrap; }
      th { position: sticky; top: 0; background: #f3f5f7; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      tr.empty td { color: #8a949e; font-style: italic; }
      """;

  /** Draws every chart from the JSON block; marks each container data-drawn="true" once ECharts has drawn it. */
  private static final String SCRIPT = """
      (function () {
        'use strict';
        var data = JSON.parse(document.getElementById('report-data').textContent);
        function rows(name) {
          var s = data.sections[name];
          return s.rows.map(function (r) {
            var o = {};
            s.columns.forEach(function (c, i) { o[c] = r[i]; });
            return o;
          });
        }
        function num(v) { return v === null || v === undefined ? null : Number(v); }
        function uniq(values) {
          var seen = {}, out = [];
          values.forEach(function (v) { if (!seen[v]) { seen[v] = true; out.push(v); } });
          return out;
        }
        var charts = [];
        function draw(name, option, empty) {
          var el = document.getElementById('chart-' + name);
          var chart = echarts.init(el, null, { renderer: 'svg' });
          chart.on('finished', function () { el.setAttribute('data-drawn', 'true'); });
          if (empty) {
            option = { title: { text: 'no data', left: 'center', top: 'middle',
              textStyle: { color: '#8a949e', fontWeight: 'normal' } } };
          }
          option.animation = false;
          chart.setOption(option);
          el.setAttribute('data-empty', empty ? 'true' : 'false');
          charts.push(chart);
        }
        var grid = { left: 70, right: 70, top: 50, bottom: 40 };
        var legend = { type: 'scroll', top: 0 };

        var sales = rows('sales_by_day_store');
        var days = uniq(sales.map(function (r) { return r.business_date; })).sort();
        var stores = uniq(sales.map(function (r) { return r.store_id; })).sort();
        draw('net-sales', {
          tooltip: { trigger: 'axis' }, legend: legend, grid: grid,
          xAxis: { type: 'category', data: days }, yAxis: { type: 'value', name: 'net_amount' },
          series: stores.map(function (s) {
            return { name: s, type: 'bar', stack: 'net', data: days.map(function (d) {
              var r = sales.find(function (x) { return x.business_date === d && x.store_id === s; });
              return r ? num(r.net_amount) : 0;
            }) };
          })
        }, sales.length === 0);

        var mix = rows('category_mix');
        draw('category-mix', {
          tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' }, legend: legend,
          series: [{ name: 'net_amount', type: 'pie', radius: ['35%', '65%'], top: 30,
            data: mix.map(function (r) { return { name: r.category, value: num(r.net_amount) }; }) }]
        }, mix.length === 0);

        var refunds = rows('refunds_by_day');
        draw('refunds', {
          tooltip: { trigger: 'axis' }, legend: legend, grid: grid,
          xAxis: { type: 'category', data: refunds.map(function (r) { return r.business_date; }) },
          yAxis: [{ type: 'value', name: 'refund_amount' }, { type: 'value', name: 'refund share %' }],
          series: [
            { name: 'refund_amount', type: 'bar', data: refunds.map(function (r) { return num(r.refund_amount); }) },
            { name: 'refund share %', type: 'line', yAxisIndex: 1,
              data: refunds.map(function (r) { return num(r.refund_share_pct); }) }]
        }, refunds.length === 0);

        var top = rows('top_products').slice().reverse();
        draw('top-products', {
          tooltip: { trigger: 'axis' }, grid: { left: 90, right: 30, top: 30, bottom: 30 },
          xAxis: { type: 'value', name: 'net_amount' },
          yAxis: { type: 'category', data: top.map(function (r) { return r.sku; }) },
          series: [{ name: 'net_amount', type: 'bar', data: top.map(function (r) { return num(r.net_amount); }) }]
        }, top.length === 0);

        var trend = rows('product_trend');
        var trendDays = uniq(trend.map(function (r) { return r.business_date; })).sort();
        var skus = uniq(trend.map(function (r) { return r.sku; })).sort();
        draw('product-trend', {
          tooltip: { trigger: 'axis' }, legend: legend, grid: grid,
          xAxis: { type: 'category', data: trendDays }, yAxis: { type: 'value', name: 'net_amount_ma7' },
          series: skus.map(function (s) {
            return { name: s, type: 'line', connectNulls: true, data: trendDays.map(function (d) {
              var r = trend.find(function (x) { return x.business_date === d && x.sku === s; });
              return r ? num(r.net_amount_ma7) : null;
            }) };
          })
        }, trend.length === 0);

        var suspicious = rows('suspicious_by_rule');
        draw('suspicious', {
          tooltip: { trigger: 'axis' }, grid: grid,
          xAxis: { type: 'category', data: suspicious.map(function (r) { return r.rule_id; }) },
          yAxis: { type: 'value', name: 'transactions', minInterval: 1 },
          series: [{ name: 'transactions', type: 'bar',
            data: suspicious.map(function (r) { return num(r.transactions); }) }]
        }, suspicious.length === 0);

        var quarantine = rows('quarantine_by_day_rule');
        function qday(r) { return r.business_date === null ? 'no date' : r.business_date; }
        var qdays = uniq(quarantine.map(qday));
        var rules = uniq(quarantine.map(function (r) { return r.rule_id; })).sort();
        draw('quarantine', {
          tooltip: { trigger: 'axis' }, legend: legend, grid: { left: 50, right: 20, top: 80, bottom: 60 },
          xAxis: { type: 'category', data: qdays, axisLabel: { interval: 0, rotate: 30 } },
          yAxis: { type: 'value', name: 'records', minInterval: 1 },
          series: rules.map(function (rule) {
            return { name: rule, type: 'bar', stack: 'rules', data: qdays.map(function (d) {
              var r = quarantine.find(function (x) { return qday(x) === d && x.rule_id === rule; });
              return r ? num(r.records) : 0;
            }) };
          })
        }, quarantine.length === 0);

        var runs = rows('runs');
        var labels = runs.map(function (r) { return r.started_at + ' ' + r.job; });
        function runSeries(column) {
          return { name: column, type: 'bar', stack: 'records',
            data: runs.map(function (r) { return num(r[column]); }) };
        }
        draw('runs', {
          tooltip: { trigger: 'axis' }, legend: legend, grid: grid,
          xAxis: { type: 'category', data: labels },
          yAxis: [{ type: 'value', name: 'records' }, { type: 'value', name: 'seconds' }],
          series: [runSeries('accepted'), runSeries('quarantined'), runSeries('duplicates'),
            { name: 'duration s', type: 'line', yAxisIndex: 1,
              data: runs.map(function (r) { return r.duration_ms === null ? null : r.duration_ms / 1000; }) }]
        }, runs.length === 0);

        window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
      })();
      """;

  private ReportPage() {}
}
