package io.vecwatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class OtlpTracingTest {

  @Test
  void signalPathsAreAppendedToABareEndpointOnly() {
    assertThat(OtlpTracing.signalUrl(URI.create("http://c:4318"), "traces"))
        .isEqualTo("http://c:4318/v1/traces");
    assertThat(OtlpTracing.signalUrl(URI.create("http://c:4318/"), "metrics"))
        .isEqualTo("http://c:4318/v1/metrics");
    assertThat(OtlpTracing.signalUrl(URI.create("http://c/otlp/v1/traces"), "traces"))
        .isEqualTo("http://c/otlp/v1/traces");
  }
}
