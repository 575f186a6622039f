package io.vecwatch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vecwatch.dataset.Dataset;
import io.vecwatch.target.LuceneHnswTarget;
import io.vecwatch.testing.TestDatasets;
import io.vecwatch.time.Clock;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The HTML report in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * installed by {@code .ci/peers.sh install}): the verdict comes first, every plot is an image the
 * browser decoded, and the table lists every step.
 */
class LoadReportBrowserIT {
  @TempDir Path dir;

  @Test
  void reportRendersVerdictFirstAndEveryPlotInChromium() throws Exception {
    Dataset data = TestDatasets.random("gen", 2000, 16, 40, 100, 3, null);
    LoadSettings s =
        LoadSettings.defaults()
            .withFirstWarmup(Duration.ZERO)
            .withLevels(List.of(1, 2))
            .withTiming(Duration.ofMillis(50), Duration.ofMillis(300))
            .withOpenLoop(16, 200, 2, 0.5)
            .withGuards(800, Duration.ofMinutes(1), 1_000_000)
            .withParameterSweep("ef", List.of(10, 50), 2);
    LoadReport r =
        new LoadTest(
                new LuceneHnswTarget("hnsw", data, new LuceneHnswTarget.Settings(8, 40, 10)),
                data,
                List.of(10),
                Duration.ofSeconds(1),
                Objective.DEFAULT,
                s,
                Clock.system(),
                Progress.NONE)
            .run();
    Path page = ReportHtml.write(r, dir);

    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .build();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary("/usr/bin/chromium")
            .addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
    ChromeDriver browser = new ChromeDriver(service, options);
    try {
      browser.get(page.toUri().toString());
      assertThat(browser.getTitle()).isEqualTo("vecwatch load report: hnsw");
      WebElement verdict = browser.findElement(By.id("verdict"));
      assertThat(verdict.getText())
          .contains("Capacity:")
          .contains("Recommended search setting:")
          .contains("Knee:");
      WebElement table = browser.findElement(By.id("steps"));
      List<WebElement> plots = browser.findElements(By.cssSelector("img.plot"));
      assertThat(plots).hasSize(3);
      JavascriptExecutor js = browser;
      for (WebElement img : plots) {
        Object width =
            js.executeScript("return arguments[0].complete && arguments[0].naturalWidth;", img);
        assertThat(((Number) width).intValue())
            .as("plot %s decoded", img.getAttribute("alt"))
            .isEqualTo(760);
        // the verdict is above every plot, the plots above the table
        assertThat(verdict.getLocation().getY()).isLessThan(img.getLocation().getY());
        assertThat(img.getLocation().getY()).isLessThan(table.getLocation().getY());
      }
      assertThat(table.findElements(By.tagName("tr"))).hasSize(r.steps().size() + 1);
    } finally {
      browser.quit();
    }
  }
}
