package io.vecwatch.target.milvus;

import io.milvus.v2.common.IndexBuildState;
import io.milvus.v2.service.collection.response.GetLoadStateResp;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import io.milvus.v2.service.utility.request.GetQuerySegmentInfoReq;
import io.milvus.v2.service.utility.response.CheckHealthResp;
import io.milvus.v2.service.utility.response.GetQuerySegmentInfoResp;
import io.vecwatch.stats.Diagnostics;
import io.vecwatch.target.milvus.Features.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Builds a Milvus target's {@link Diagnostics}: connection state and counters always; once
 * connected, quota and load states (from the last health check), index progress, loaded segments
 * and one self-recall round. A call that fails only leaves its series out (and marks its feature
 * unavailable if the server cannot or may not answer it). The series are documented in {@code
 * docs/metrics.md} (Milvus). Called from the health schedule, one call at a time.
 */
public final class MilvusDiagnostics {
  private static final List<String> QUOTA_STATES =
      List.of("ReadLimited", "WriteLimited", "DenyToRead", "DenyToWrite");
  private static final List<String> LOAD_STATES =
      List.of("LoadStateNotExist", "LoadStateNotLoad", "LoadStateLoading", "LoadStateLoaded");

  private final MilvusSettings settings;
  private final SelfRecall selfRecall;

  public MilvusDiagnostics(MilvusSettings settings, SelfRecall selfRecall) {
    this.settings = settings;
    this.selfRecall = selfRecall;
  }

  /**
   * @param live the session, when connected
   * @param health the last CheckHealth answer, or null
   * @param load the last load-state answer, or null
   */
  public Diagnostics collect(
      Connection.Status st, Optional<Session> live, CheckHealthResp health, GetLoadStateResp load) {
    Diagnostics.Builder b = Diagnostics.builder();
    for (Connection.State state : Connection.State.values()) {
      b.gauge(
          "vecwatch_milvus_connection_state",
          "1 for the connection's current state, 0 for the others",
          Map.of("state", state.name().toLowerCase(Locale.ROOT)),
          state == st.state() ? 1 : 0);
    }
    b.counter("vecwatch_milvus_connect_attempts_total", "connection attempts made", st.attempts());
    b.counter(
        "vecwatch_milvus_connection_losses_total", "established connections lost", st.losses());
    b.info("collection", settings.collection());
    b.info("uri", settings.uri());
    if (live.isEmpty()) {
      return b.build();
    }
    Session s = live.get();
    Features features = s.features();
    CollectionInfo info = s.info();
    b.info("server_version", s.serverVersion());
    b.info("vector_field", info.vectorField());
    b.info("index_type", info.indexType().orElse("none"));
    b.info("metric_type", info.metric().map(Enum::name).orElse("unknown"));
    if (health != null && features.available(Feature.HEALTH)) {
      quota(health, b);
    }
    if (load != null && features.available(Feature.LOAD_STATE)) {
      load(load, b);
    }
    index(s, b);
    segments(s, b);
    selfRecall(s, b);
    for (Feature f : Feature.values()) {
      b.gauge(
          "vecwatch_milvus_feature_available",
          "0 when the server does not implement or permit the feature",
          Map.of("feature", f.label()),
          features.available(f) ? 1 : 0);
    }
    return b.build();
  }

  private static void quota(CheckHealthResp h, Diagnostics.Builder b) {
    List<String> states = new ArrayList<>(QUOTA_STATES);
    h.getQuotaStates().stream().filter(q -> !states.contains(q)).forEach(states::add);
    for (String q : states) {
      b.gauge(
          "vecwatch_milvus_quota_state",
          "1 while Milvus reports this quota state (CheckHealth)",
          Map.of("state", q),
          h.getQuotaStates().contains(q) ? 1 : 0);
    }
  }

  private static void load(GetLoadStateResp load, Diagnostics.Builder b) {
    String state = load.getState().name();
    for (String ls : LOAD_STATES) {
      b.gauge(
          "vecwatch_milvus_load_state",
          "1 for the collection's load state, 0 for the others",
          Map.of("state", ls.substring("LoadState".length()).toLowerCase(Locale.ROOT)),
          ls.equals(state) ? 1 : 0);
    }
    double progress =
        switch (state) {
          case "LoadStateLoaded" -> 1.0;
          case "LoadStateLoading" -> load.getProgress() == null ? 0.0 : load.getProgress() / 100.0;
          default -> 0.0;
        };
    b.gauge(
        "vecwatch_milvus_load_progress_ratio", "loading progress of the collection, 0-1", progress);
  }

  private void index(Session s, Diagnostics.Builder b) {
    if (!s.features().available(Feature.INDEX)) {
      return;
    }
    try {
      DescribeIndexResp r =
          s.client()
              .describeIndex(
                  DescribeIndexReq.builder()
                      .collectionName(settings.collection())
                      .fieldName(s.info().vectorField())
                      .build());
      if (r.getIndexDescriptions().isEmpty()) {
        return;
      }
      DescribeIndexResp.IndexDesc d = r.getIndexDescriptions().get(0);
      b.gauge(
          "vecwatch_milvus_index_indexed_rows", "rows the vector index covers", d.getIndexedRows());
      b.gauge("vecwatch_milvus_index_total_rows", "rows the index should cover", d.getTotalRows());
      b.gauge(
          "vecwatch_milvus_index_pending_rows",
          "rows waiting to be indexed (index lag)",
          Math.max(d.getPendingIndexRows(), d.getTotalRows() - d.getIndexedRows()));
      b.gauge(
          "vecwatch_milvus_index_failed",
          "1 when the index build failed",
          d.getIndexState() == IndexBuildState.Failed ? 1 : 0);
    } catch (RuntimeException e) {
      s.features().markIfUnsupported(Feature.INDEX, MilvusFailure.of(e));
    }
  }

  private void segments(Session s, Diagnostics.Builder b) {
    if (!s.features().available(Feature.SEGMENTS)) {
      return;
    }
    try {
      GetQuerySegmentInfoResp r =
          s.client()
              .getQuerySegmentInfo(
                  GetQuerySegmentInfoReq.builder().collectionName(settings.collection()).build());
      long rows = 0;
      for (GetQuerySegmentInfoResp.QuerySegmentInfo seg : r.getSegmentInfos()) {
        rows += seg.getNumOfRows() == null ? 0 : seg.getNumOfRows();
      }
      b.gauge(
          "vecwatch_milvus_loaded_segments",
          "sealed segments loaded on query nodes",
          r.getSegmentInfos().size());
      b.gauge(
          "vecwatch_milvus_loaded_segment_rows",
          "rows in sealed segments loaded on query nodes",
          rows);
    } catch (RuntimeException e) {
      s.features().markIfUnsupported(Feature.SEGMENTS, MilvusFailure.of(e));
    }
  }

  private void selfRecall(Session s, Diagnostics.Builder b) {
    if (!settings.selfRecall().enabled() || !s.features().available(Feature.SELF_RECALL)) {
      return;
    }
    try {
      selfRecall.sample(s);
    } catch (RuntimeException e) {
      s.features().markIfUnsupported(Feature.SELF_RECALL, MilvusFailure.of(e));
    }
    OptionalDouble ratio = selfRecall.ratio();
    if (ratio.isPresent()) {
      b.gauge(
          "vecwatch_self_recall_ratio",
          "stored vectors whose own key came back first when searched with",
          ratio.getAsDouble());
    }
    b.gauge(
        "vecwatch_self_recall_window_samples",
        "samples behind vecwatch_self_recall_ratio",
        selfRecall.samples());
    OptionalDouble missing = selfRecall.missingRatio();
    if (missing.isPresent()) {
      b.gauge(
          "vecwatch_self_recall_missing_ratio",
          "sampled dataset keys the collection no longer holds",
          missing.getAsDouble());
    }
  }
}
