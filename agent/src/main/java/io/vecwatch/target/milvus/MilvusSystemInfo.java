package io.vecwatch.target.milvus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.client.MilvusServiceClient;
import io.milvus.grpc.GetMetricsResponse;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.control.GetMetricsParam;
import io.vecwatch.config.Secret;
import io.vecwatch.serverside.SystemInfo;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Asks a Milvus server for {@code GetMetrics({"metric_type":"system_info"})} over its own small
 * connection (MilvusClientV2 does not offer GetMetrics; the SDK's v1 client does). Connects on
 * first use; every call has the deadline. A server that answers UNIMPLEMENTED (Milvus Lite) raises
 * {@link UnsupportedOperationException} so the scraper stops asking. The answer's hardware figures
 * are taken from the proxy's node entry when present (the proxy serves the scraped metrics page),
 * else from the first node.
 */
public final class MilvusSystemInfo implements SystemInfo.Source, AutoCloseable {
  static final String REQUEST = "{\"metric_type\":\"system_info\"}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String uri;
  private final Optional<Secret> token;
  private final Duration deadline;
  private final Optional<MilvusSettings.Tls> tls;
  private MilvusServiceClient client;

  private MilvusSystemInfo(
      String uri, Optional<Secret> token, Duration deadline, Optional<MilvusSettings.Tls> tls) {
    this.uri = uri;
    this.token = token;
    this.deadline = deadline;
    this.tls = tls;
  }

  /**
   * @param uri e.g. {@code http://milvus:19530}; @param token {@code user:password} or an API key
   */
  public static MilvusSystemInfo of(String uri, Optional<Secret> token, Duration deadline) {
    return new MilvusSystemInfo(uri, token, deadline, Optional.empty());
  }

  /**
   * The source for a {@code kind: milvus} target: its URI, credentials, call timeout and TLS
   * settings (server certificate check, or mutual TLS), as the target itself connects.
   */
  public static Optional<MilvusSystemInfo> forTarget(MilvusSettings m) {
    Optional<Secret> token = Optional.empty();
    if (m.auth() instanceof MilvusSettings.Token t) {
      token = Optional.of(t.token());
    } else if (m.auth() instanceof MilvusSettings.UserPassword up) {
      token =
          Optional.of(
              Secret.of(up.user() + ":" + up.password().reveal())); // Milvus' "user:password" token
    }
    return Optional.of(new MilvusSystemInfo(m.uri(), token, m.callTimeout(), m.tls()));
  }

  @Override
  public synchronized Optional<SystemInfo> fetch() throws Exception {
    if (client == null) {
      ConnectParam.Builder b =
          ConnectParam.newBuilder()
              .withUri(uri)
              .withConnectTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .withRpcDeadline(deadline.toMillis(), TimeUnit.MILLISECONDS);
      token.ifPresent(t -> b.withToken(t.reveal()));
      tls.ifPresent(t -> secure(b, t));
      client = new MilvusServiceClient(b.build());
    }
    R<GetMetricsResponse> r =
        client.getMetrics(GetMetricsParam.newBuilder().withRequest(REQUEST).build());
    if (r.getStatus() == R.Status.Success.getCode() && r.getData() != null) {
      return parse(r.getData().getResponse());
    }
    String msg = r.getMessage() == null ? "" : r.getMessage();
    if (msg.toUpperCase(Locale.ROOT).contains("UNIMPLEMENTED")) {
      throw new UnsupportedOperationException("GetMetrics is not implemented by " + uri);
    }
    throw new IllegalStateException("GetMetrics failed: " + msg);
  }

  /** TLS as {@link MilvusConnector} sets it up for the target's own client. */
  private void secure(ConnectParam.Builder b, MilvusSettings.Tls t) {
    // the SDK overrides the TLS authority with server_name: default it to the uri's host
    b.withServerName(t.serverName().orElse(URI.create(uri).getHost()));
    if (t.mutual()) {
      b.withCaPemPath(t.caFile().orElseThrow().toString())
          .withClientPemPath(t.clientCertFile().orElseThrow().toString())
          .withClientKeyPath(t.clientKeyFile().orElseThrow().toString());
    } else {
      b.withServerPemPath(t.caFile().orElseThrow().toString());
    }
    b.withSecure(true);
  }

  /** Parses the {@code response} JSON of GetMetrics; empty when it holds no hardware figures. */
  public static Optional<SystemInfo> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode chosen = null;
    for (JsonNode node : root.path("nodes_info")) {
      JsonNode infos = node.path("infos");
      if (!infos.path("hardware_infos").isObject()) {
        continue;
      }
      if (chosen == null || "proxy".equals(infos.path("type").asText())) {
        chosen = infos.path("hardware_infos");
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    long mem = chosen.path("memory").asLong(0);
    double cores = chosen.path("cpu_core_count").asDouble(0);
    if (mem <= 0 && cores <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new SystemInfo(
            mem > 0 ? OptionalLong.of(mem) : OptionalLong.empty(),
            cores > 0 ? OptionalDouble.of(cores) : OptionalDouble.empty()));
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
