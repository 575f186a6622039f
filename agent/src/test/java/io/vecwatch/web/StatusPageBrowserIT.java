package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.vecwatch.agent.Agent;
import io.vecwatch.config.ConfigLoader;
import io.vecwatch.config.VecwatchConfig;
import io.vecwatch.dataset.Dataset;
import io.vecwatch.target.registry.TargetKinds;
import io.vecwatch.testing.TestDatasets;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in Debian's Chromium (headless, driven by Selenium through /usr/bin/chromedriver;
 * installed by {@code .ci/peers.sh install}) against a running agent with a healthy exact index, an
 * approximate index, a Milvus target whose server is down (a closed port), a target with a hostile
 * name, and the default rule pack, which fires {@code VecwatchTargetDown} for the Milvus target.
 * Screenshots go to {@code agent/target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserIT {
  private static final String HOSTILE = "<img src=x onerror=window.pwned=1>";
  private static final Path SHOTS = Path.of("target", "screenshots");
  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;
  private WebDriver browser;
  private String base;
  private Path profile;

  @BeforeAll
  void start() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens there once the socket is closed
    }
    Path repo = Path.of(System.getProperty("vecwatch.repo", "..")).toAbsolutePath().normalize();
    String rules = repo.resolve("rules").resolve("*.yml").toString();
    VecwatchConfig c =
        new ConfigLoader(Map.of(), TargetKinds.lookup())
            .parse(
                "browser.yml",
                """
        web:
          listen_address: "127.0.0.1:0"
        datasets:
          - name: one
            metric: l2
            generate: {count: 3000, dim: 16, queries: 1, ground_truth_k: 50}
        targets:
          - name: exact
            kind: flat
            dataset: one
          - name: approx
            kind: lucene_hnsw
            dataset: one
            m: 4
            ef_construction: 8
            ef_search: 4
          - name: milvus-down
            kind: milvus
            uri: http://127.0.0.1:%1$d
            collection: docs
            dataset: one
            connect_timeout: 200ms
          - name: '%2$s'
            kind: flat
            dataset: one
        probes:
          - {target: exact, rate: 4, recall_k: [10, 50]}
          - {target: approx, rate: 4, recall_k: [10, 50]}
          - {target: milvus-down, rate: 1, recall_k: [10], health_interval: 300ms}
          - {target: '%2$s', rate: 1, recall_k: [10]}
        rule_files: ['%3$s']
        evaluation_interval: 1s
        """
                    .formatted(closed, HOSTILE, rules.replace("'", "''")),
                Path.of("."));
    // one query: every search of the HNSW index is the same, so its recall is one steady number
    Dataset one = TestDatasets.random("one", 3000, 16, 1, 50, 11, null);
    agent = Agent.builder(c).datasets(dc -> one).start();
    base = "http://127.0.0.1:" + agent.httpPort() + "/";
    await().atMost(Duration.ofSeconds(30)).until(agent::ready);

    Files.createDirectories(SHOTS);
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + (profile = Files.createTempDirectory("vecwatch-chromium")));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, o);
    browser.manage().window().setSize(new Dimension(1400, 2200));
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (agent != null) {
      agent.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); // best effort
      } catch (IOException e) {
        // a temporary folder left behind is no test failure
      }
    }
  }

  @Test
  void showsStatesRecallTheFiringAlertAndItsRunbook() throws Exception {
    browser.get(base);
    // the page refreshes itself: the down target's alert appears without a reload
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                alertShown("VecwatchTargetDown") != null && stateOf("milvus-down").equals("down"));
    assertThat(stateOf("exact")).isIn("up", "degraded");
    assertThat(stateOf("approx")).isIn("up", "degraded");
    assertThat(stateCellOf("milvus-down")).contains("down for");

    List<String> alert = alertShown("VecwatchTargetDown"); // state cell, row text, runbook href
    assertThat(alert.get(0)).isEqualTo("firing");
    assertThat(alert.get(1))
        .contains("target=\"milvus-down\"", "severity=\"critical\"", "milvus-down is down");
    String runbook = alert.get(2);
    assertThat(runbook).isEqualTo(base + "docs/runbooks.md#vecwatchtargetdown");

    // what the page shows for recall is what /api/v1/targets says
    JsonObject api =
        new JsonObject(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "api/v1/targets")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    for (String target : List.of("exact", "approx")) {
      JsonObject t =
          api.getJsonObject("data").getJsonArray("targets").stream()
              .map(JsonObject.class::cast)
              .filter(j -> j.getString("name").equals(target))
              .findFirst()
              .orElseThrow();
      Map<String, List<String>> shown = recallShown(target);
      for (Object r :
          t.getJsonArray("probes")
              .getJsonObject(0)
              .getJsonObject("window")
              .getJsonArray("recall")) {
        JsonObject rk = (JsonObject) r;
        List<String> valueAndText = shown.get(Integer.toString(rk.getInteger("k")));
        // one query, searched the same way every time: the window mean differs only by summation
        // rounding
        assertThat(Double.parseDouble(valueAndText.get(0)))
            .isCloseTo(rk.getDouble("ratio"), within(1e-9));
        assertThat(valueAndText.get(1))
            .startsWith(
                "@"
                    + rk.getInteger("k")
                    + " "
                    + String.format(Locale.ROOT, "%.3f", rk.getDouble("ratio")));
      }
    }
    assertThat(recallShown("exact").get("10").get(1)).startsWith("@10 1.000");
    screenshot("status-desktop");

    browser.get(runbook);
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("VecwatchTargetDown");
  }

  @Test
  void theProbeButtonShowsTheResultOnThePage() throws Exception {
    browser.get(base);
    // retried: the page may swap its table in (a refresh) between finding the button and clicking
    // it
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              row("approx").findElement(By.cssSelector("form.probe button")).click();
              return true;
            });
    WebElement out = browser.findElement(By.id("probe-out"));
    await().atMost(Duration.ofSeconds(15)).until(() -> out.getText().contains("outcome:"));
    assertThat(out.getText())
        .contains(
            "approx · query 0 of one · top 50",
            "outcome: ok",
            "recall@10: ",
            "recall@50: ",
            "Probe succeeded");
    // the same search through the API gives the same recall (one query, a deterministic index)
    JsonObject direct =
        new JsonObject(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "probe?target=approx&query=0"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    double r10 = direct.getJsonArray("recall").getJsonObject(0).getDouble("ratio");
    assertThat(out.getText()).contains("recall@10: " + String.format(Locale.ROOT, "%.3f", r10));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", out);
    screenshot("status-probe");
  }

  @Test
  void aHostileTargetNameIsShownAsTextAndNeverRuns() throws Exception {
    browser.get(base);
    assertThat(nameShown(HOSTILE)).isEqualTo(HOSTILE);
    assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
    // after an in-place refresh too (innerHTML would run an onerror handler if the fragment were
    // not escaped)
    String before = browser.findElement(By.id("refreshed")).getText();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !browser.findElement(By.id("refreshed")).getText().equals(before));
    assertThat(nameShown(HOSTILE)).isEqualTo(HOSTILE);
    assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
    Object pwned =
        ((JavascriptExecutor) browser)
            .executeScript("return window.pwned === undefined ? 'no' : 'yes'");
    assertThat(pwned).isEqualTo("no");
  }

  @Test
  void isReadableOnAPhoneAndWithoutJavaScript() throws Exception {
    browser.manage().window().setSize(new Dimension(390, 2400));
    try {
      browser.get(base);
      WebElement exact = row("exact");
      assertThat(exact.getSize().getWidth()).isLessThanOrEqualTo(390);
      // one row per value, each named by its column (a label drawn by CSS, as the table header is
      // hidden)
      Object label =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "return getComputedStyle(document.querySelector('tr.target td[data-label=\\'P99\\']'), '::before')"
                      + ".content");
      assertThat(label).isEqualTo("\"P99\"");
      assertThat(browser.findElement(By.cssSelector("#targets thead")).isDisplayed()).isFalse();
      screenshot("status-phone");
    } finally {
      browser.manage().window().setSize(new Dimension(1400, 2200));
    }
    // the server-rendered page alone: fetched without any script running, it already holds every
    // section
    String html =
        http.send(
                HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(html)
        .contains("milvus-down", "VecwatchTargetDown", "<noscript><meta http-equiv=\"refresh\"");
  }

  /**
   * K to [data-value, visible text] of a target's recall cells, read in one script call so the
   * page's own refresh cannot swap the table in between.
   */
  @SuppressWarnings("unchecked")
  private Map<String, List<String>> recallShown(String target) {
    return (Map<String, List<String>>)
        js(
            """
        var out = {}, want = arguments[0];
        document.querySelectorAll('tr.target').forEach(function (tr) {
          if (tr.getAttribute('data-target') !== want) { return; }
          tr.querySelectorAll('span[data-k]').forEach(function (s) {
            out[s.getAttribute('data-k')] = [s.getAttribute('data-value'), s.innerText];
          });
        });
        return out;""",
            target);
  }

  private WebElement row(String target) {
    return browser.findElements(By.cssSelector("tr.target")).stream()
        .filter(r -> target.equals(r.getAttribute("data-target")))
        .findFirst()
        .orElseThrow();
  }

  private String stateOf(String target) {
    return (String)
        js(
            """
        var want = arguments[0], out = null;
        document.querySelectorAll('tr.target').forEach(function (tr) {
          if (tr.getAttribute('data-target') === want) { out = tr.querySelector('.state-text').innerText; }
        });
        return out;""",
            target);
  }

  private String nameShown(String target) {
    return (String)
        js(
            """
        var want = arguments[0], out = null;
        document.querySelectorAll('tr.target').forEach(function (tr) {
          if (tr.getAttribute('data-target') === want) { out = tr.querySelector('td b').innerText; }
        });
        return out;""",
            target);
  }

  private String stateCellOf(String target) {
    return (String)
        js(
            """
        var want = arguments[0], out = null;
        document.querySelectorAll('tr.target').forEach(function (tr) {
          if (tr.getAttribute('data-target') === want) { out = tr.querySelector('td.state').innerText; }
        });
        return out;""",
            target);
  }

  /**
   * The pending or firing row of {@code alertname}: [state cell, row text, runbook link], or null.
   */
  @SuppressWarnings("unchecked")
  private List<String> alertShown(String alertname) {
    return (List<String>)
        js(
            """
        var want = arguments[0], out = null;
        document.querySelectorAll('tr.alert').forEach(function (tr) {
          if (out === null && tr.innerText.indexOf(want) >= 0) {
            var a = tr.querySelector('a.runbook');
            out = [tr.querySelector('td').innerText, tr.innerText, a ? a.href : ''];
          }
        });
        return out;""",
            alertname);
  }

  /**
   * Runs a script in the page: one synchronous read, which the page's own refresh cannot
   * interleave.
   */
  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private void screenshot(String name) throws IOException {
    File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
