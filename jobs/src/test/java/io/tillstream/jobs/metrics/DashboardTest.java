package io.tillstream.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * conf/grafana/tillstream-dashboard.json is importable as far as can be checked without Grafana: valid against the
 * schema the project keeps, panels laid out on Grafana's 24-column grid without overlap, and every Tillstream
 * metric it queries declared by {@link PipelineMetrics}. MetricsIT runs every query against a real Prometheus.
 */
class DashboardTest {
  static final Path DASHBOARD = Paths.get("..", "conf", "grafana", "tillstream-dashboard.json");
  private static final Path SCHEMA = Paths.get("..", "conf", "grafana", "dashboard.schema.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void dashboardIsValidAgainstTheSchemaAndTheSchemaRefusesABrokenPanel() throws Exception {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    assertEquals(List.of(), errors(dashboard));

    ObjectNode broken = dashboard.deepCopy();
    ((ObjectNode) broken.path("panels").path(2).path("targets").path(0)).remove("expr");
    ((ObjectNode) broken.path("panels").path(3).path("gridPos")).put("w", 30);
    ((ObjectNode) broken.path("panels").path(4).path("datasource")).put("uid", "my-prometheus");
    List<String> errors = errors(broken);
    assertEquals(3, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains("/panels/2/targets/0") && errors.get(0).contains("expr"), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> e.contains("/panels/3/gridPos/w")), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> e.contains("/panels/4/datasource/uid")), errors.toString());
  }

  @Test
  void panelsFitTheGridWithoutOverlapAndHaveUniqueIdsAndDatasourceInputs() throws Exception {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    Set<String> inputs = new HashSet<>();
    dashboard.path("__inputs").forEach(i -> inputs.add("${" + i.path("name").asText() + "}"));
    Set<Integer> ids = new HashSet<>();
    Set<String> cells = new HashSet<>();
    for (JsonNode p : dashboard.path("panels")) {
      assertTrue(ids.add(p.path("id").asInt()), "panel id repeated: " + p.path("id"));
      assertTrue(inputs.contains(p.path("datasource").path("uid").asText()), p.path("title").asText());
      JsonNode g = p.path("gridPos");
      assertTrue(g.path("x").asInt() + g.path("w").asInt() <= 24, p.path("title").asText());
      for (int x = g.path("x").asInt(); x < g.path("x").asInt() + g.path("w").asInt(); x++) {
        for (int y = g.path("y").asInt(); y < g.path("y").asInt() + g.path("h").asInt(); y++) {
          assertTrue(cells.add(x + "," + y), p.path("title").asText() + " overlaps another panel at " + x + "," + y);
        }
      }
    }
    assertEquals(12, ids.size());
  }

  @Test
  void everyTillstreamMetricTheDashboardQueriesIsDeclared() throws Exception {
    Set<String> declared = new TreeSet<>();
    new PipelineMetrics().registry().scrape().forEach(s -> declared.add(s.getMetadata().getName()));
    Set<String> queried = new TreeSet<>();
    for (String expr : expressions(JSON.readTree(DASHBOARD.toFile()))) {
      Matcher m = Pattern.compile("\\btillstream_[a-z_]+").matcher(expr);
      while (m.find()) {
        queried.add(m.group().replaceAll("_(total|bucket|sum|count)$", ""));
      }
    }
    queried.removeIf(declared::contains);
    assertEquals(Set.of(), queried, "queried but not declared; declared: " + declared);
    assertFalse(declared.isEmpty());
  }

  static List<String> expressions(JsonNode dashboard) {
    List<String> exprs = new java.util.ArrayList<>();
    dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    return exprs;
  }

  private static List<String> errors(JsonNode dashboard) throws Exception {
    try (InputStream in = Files.newInputStream(SCHEMA)) {
      Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
      return schema.validate(dashboard).stream().map(Error::toString).toList();
    }
  }
}
