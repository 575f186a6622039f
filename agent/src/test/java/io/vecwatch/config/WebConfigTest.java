package io.vecwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebConfigTest {

  @ParameterizedTest
  @CsvSource({
    ":9477,         0.0.0.0,   9477, 0.0.0.0:9477",
    "127.0.0.1:80,  127.0.0.1, 80,   127.0.0.1:80",
    "localhost:0,   localhost, 0,    localhost:0",
    "[::1]:9477,    ::1,       9477, [::1]:9477",
    "host:65535,    host,      65535, host:65535"
  })
  void parsesTheAddressFormsPrometheusExportersAccept(
      String addr, String host, int port, String shown) {
    WebConfig w = WebConfig.parseAddress(addr);

    assertThat(w).isEqualTo(new WebConfig(host, port));
    assertThat(w.listenAddress()).isEqualTo(shown);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9477",
        "host:",
        "host:65536",
        "host:-1",
        "host:+80",
        "::1:9477",
        "[]:80",
        "a b:80",
        "host:80a",
        "host:999999999999"
      })
  void rejectsMalformedAddresses(String addr) {
    assertThat(WebConfig.parseAddress(addr)).isNull();
  }
}
