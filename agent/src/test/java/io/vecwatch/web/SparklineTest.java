package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparklineTest {
  @Test
  void aMissingSampleBreaksTheLine() {
    String svg = Sparkline.svg(new double[] {1, 2, Double.NaN, 3, 4}, 5, Double.NaN, "t");
    assertThat(svg.split("<polyline", -1)).hasSize(3);
    assertThat(svg).doesNotContain("NaN");
  }

  @Test
  void drawsTheObjectiveAndPlacesTheNewestValueAtTheRightEdge() {
    String svg = Sparkline.svg(new double[] {0.05, 0.2}, 180, 0.1, "P99");
    assertThat(svg).contains("<line class=\"obj\"");
    // highest value (0.2) at the top edge (y = 1.0), x of the last of 180 slots = full width
    assertThat(svg).contains("120.0,1.0");
    assertThat(svg).contains("<circle r=\"1.8\" cx=\"120.0\" cy=\"1.0\"/>");
  }

  @Test
  void escapesItsTitle() {
    assertThat(Sparkline.svg(new double[] {1}, 1, Double.NaN, "P99 of <script>"))
        .contains("<title>P99 of &lt;script&gt;</title>")
        .doesNotContain("<script>");
  }
}
