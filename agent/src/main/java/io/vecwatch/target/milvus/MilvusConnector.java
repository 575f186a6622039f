package io.vecwatch.target.milvus;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.vecwatch.dataset.Dataset;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens a {@link Session}: connects with {@link MilvusClientV2} and checks the collection. The only
 * place secrets are revealed (into the SDK's config, which is never logged: its {@code toString}
 * prints them).
 */
public final class MilvusConnector implements Connection.Connector<Session> {
  // The SDK retries failed calls up to 75 times by default; the agent measures failures, so it
  // never retries.
  private static final RetryConfig NO_RETRY = RetryConfig.builder().maxRetryTimes(1).build();

  static {
    SdkLogging.quietUnlessConfigured();
  }

  private final String target;
  private final MilvusSettings settings;
  private final Optional<Dataset> dataset;

  public MilvusConnector(String target, MilvusSettings settings, Optional<Dataset> dataset) {
    this.target = target;
    this.settings = settings;
    this.dataset = dataset;
  }

  /**
   * A client for {@code s}: connected within {@code connect_timeout} (plus {@code call_timeout} for
   * the database check that follows), every later call bounded by {@code call_timeout}, SDK retries
   * off.
   */
  public static MilvusClientV2 open(MilvusSettings s) throws Exception {
    ConnectConfig config = connectConfig(s);
    // the SDK checks the database without a deadline after Connect; bound the whole constructor
    Duration bound = s.connectTimeout().plus(s.callTimeout());
    MilvusClientV2 client = Deadlines.within(bound, () -> new MilvusClientV2(config));
    client.retryConfig(NO_RETRY);
    return client;
  }

  @Override
  public Session connect() throws Exception {
    MilvusClientV2 client = open(settings);
    try {
      Features features = new Features(target);
      String version = "unknown";
      try {
        version = client.getServerVersion();
      } catch (RuntimeException e) {
        MilvusFailure f = MilvusFailure.of(e);
        if (!features.markIfUnsupported(Features.Feature.VERSION, f)) {
          throw e;
        }
      }
      CollectionInfo info = CollectionCheck.check(target, settings, client, dataset);
      return new Session(client, DirectSearch.open(settings), info, version, features);
    } catch (Exception | Error e) {
      Session.closeQuietly(client);
      throw e;
    }
  }

  /** The SDK's connection config for these settings. Holds secrets: never log or print it. */
  static ConnectConfig connectConfig(MilvusSettings s) {
    ConnectConfig.ConnectConfigBuilder b =
        ConnectConfig.builder()
            .uri(s.uri())
            .connectTimeoutMs(s.connectTimeout().toMillis())
            .rpcDeadlineMs(s.callTimeout().toMillis());
    s.database().ifPresent(b::dbName);
    if (s.auth() instanceof MilvusSettings.Token t) {
      b.token(t.token().reveal());
    } else if (s.auth() instanceof MilvusSettings.UserPassword up) {
      b.username(up.user()).password(up.password().reveal());
    }
    if (s.tls().isPresent()) {
      MilvusSettings.Tls tls = s.tls().get();
      // the SDK overrides the TLS authority with server_name unconditionally: default it to the
      // uri's host
      b.serverName(tls.serverName().orElse(URI.create(s.uri()).getHost()));
      if (tls.mutual()) {
        b.caPemPath(tls.caFile().orElseThrow().toString())
            .clientPemPath(tls.clientCertFile().orElseThrow().toString())
            .clientKeyPath(tls.clientKeyFile().orElseThrow().toString());
      } else {
        b.serverPemPath(tls.caFile().orElseThrow().toString());
      }
      b.secure(true);
    }
    return b.build();
  }
}
