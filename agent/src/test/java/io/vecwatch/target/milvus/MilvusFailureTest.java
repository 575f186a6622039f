package io.vecwatch.target.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.shaded.io.grpc.Status;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import org.junit.jupiter.api.Test;

/**
 * The SDK's own exception types, built as the SDK builds them (its gRPC is relocated under
 * io.milvus.shaded).
 */
class MilvusFailureTest {

  private static MilvusClientException wrapped(Status status) {
    // what MilvusClientV2 throws with retries off: RpcUtils wraps the gRPC exception as the cause
    return new MilvusClientException(ErrorCode.RPC_ERROR, status.asRuntimeException());
  }

  @Test
  void grpcCodesInsideTheSdkWrapperDecideTheReaction() {
    assertThat(MilvusFailure.of(wrapped(Status.UNAVAILABLE)).kind())
        .isEqualTo(MilvusFailure.Kind.UNREACHABLE);
    assertThat(MilvusFailure.of(wrapped(Status.DEADLINE_EXCEEDED)).kind())
        .isEqualTo(MilvusFailure.Kind.TIMEOUT);
    assertThat(MilvusFailure.of(wrapped(Status.UNIMPLEMENTED)).kind())
        .isEqualTo(MilvusFailure.Kind.UNIMPLEMENTED);
    assertThat(MilvusFailure.of(wrapped(Status.PERMISSION_DENIED)).kind())
        .isEqualTo(MilvusFailure.Kind.PERMISSION_DENIED);
    assertThat(MilvusFailure.of(Status.UNAUTHENTICATED.asRuntimeException()).kind())
        .isEqualTo(MilvusFailure.Kind.UNAUTHENTICATED);
    assertThat(MilvusFailure.of(wrapped(Status.CANCELLED)).kind())
        .isEqualTo(MilvusFailure.Kind.CANCELLED);
  }

  @Test
  void aDeadlinePassedWhileWaitingForAConnectionMeansUnreachable() {
    // what the SDK's wait-for-ready stub reports when nothing listens (seen against a killed Milvus
    // Lite)
    MilvusFailure f =
        MilvusFailure.of(
            wrapped(
                Status.DEADLINE_EXCEEDED.withDescription(
                    "deadline exceeded after "
                        + "1.993528777s. Name resolution delay 0.004050591 seconds. [closed=[], open=[[wait_for_ready, "
                        + "buffered_nanos=1994740941, waiting_for_connection]]]")));

    assertThat(f.kind()).isEqualTo(MilvusFailure.Kind.UNREACHABLE);
    assertThat(f.detail())
        .isEqualTo("no connection within 1.9s (refused, unreachable, or TLS handshake failed)");
  }

  @Test
  void aChannelClosedUnderACallMeansUnreachable() {
    MilvusFailure f = MilvusFailure.of(wrapped(Status.UNKNOWN.withDescription("channel closed")));
    assertThat(f.kind()).isEqualTo(MilvusFailure.Kind.UNREACHABLE);
    assertThat(f.detail()).isEqualTo("UNKNOWN: channel closed");
  }

  @Test
  void aDeadlinePassedOnAnOpenConnectionIsATimeout() {
    MilvusFailure f =
        MilvusFailure.of(
            wrapped(
                Status.DEADLINE_EXCEEDED.withDescription(
                    "deadline exceeded after 2.999s. [closed=[], open=[[buffered_nanos=1, remote_addr=/127.0.0.1:19530]]]")));
    assertThat(f.kind()).isEqualTo(MilvusFailure.Kind.TIMEOUT);
  }

  @Test
  void aCodeThatSurvivesOnlyAsTextIsStillRecognised() {
    // RpcUtils with retries on: MilvusClientException(RPC_ERROR, message) without the gRPC cause
    MilvusClientException e =
        new MilvusClientException(
            ErrorCode.RPC_ERROR,
            "Encounter rpc error that cannot be "
                + "retried, reason: io.milvus.shaded.io.grpc.StatusRuntimeException: PERMISSION_DENIED: PrivilegeInsert: "
                + "permission deny to vecwatch");
    MilvusFailure f = MilvusFailure.of(e);

    assertThat(f.kind()).isEqualTo(MilvusFailure.Kind.PERMISSION_DENIED);
    assertThat(f.detail())
        .isEqualTo("PERMISSION_DENIED: PrivilegeInsert: permission deny to vecwatch");
  }

  @Test
  void detailIsTheGrpcCodeAndDescriptionOnOneLine() {
    MilvusFailure f =
        MilvusFailure.of(wrapped(Status.UNIMPLEMENTED.withDescription("Method not\nimplemented!")));
    assertThat(f.detail()).isEqualTo("UNIMPLEMENTED: Method not implemented!");
  }

  @Test
  void serverErrorCodeOneHundredMeansTheCollectionIsMissing() {
    // as RpcUtils.handleResponse reports "collection not found" (Milvus 2.3 and Milvus Lite both
    // use code 100)
    MilvusClientException e =
        new MilvusClientException(
            ErrorCode.SERVER_ERROR,
            "collection not found[database=default][collection=nope]",
            100,
            4);
    MilvusFailure f = MilvusFailure.of(e);

    assertThat(f.kind()).isEqualTo(MilvusFailure.Kind.NOT_FOUND);
    assertThat(f.detail()).isEqualTo("collection not found[database=default][collection=nope]");
  }

  @Test
  void otherServerErrorsKeepTheirReason() {
    MilvusFailure f =
        MilvusFailure.of(
            new MilvusClientException(ErrorCode.SERVER_ERROR, "rate limit exceeded", 8, 49));
    assertThat(f.kind()).isEqualTo(MilvusFailure.Kind.SERVER_ERROR);
    assertThat(f.detail()).isEqualTo("rate limit exceeded");
  }

  @Test
  void emptyServerReasonStillSaysSomething() {
    MilvusFailure f = MilvusFailure.of(new MilvusClientException(ErrorCode.SERVER_ERROR, "", 1, 1));
    assertThat(f.detail()).isEqualTo("server error code 1");
  }

  @Test
  void unknownExceptionsAreOtherWithTheirType() {
    MilvusFailure f = MilvusFailure.of(new IllegalStateException("boom"));
    assertThat(f.kind()).isEqualTo(MilvusFailure.Kind.OTHER);
    assertThat(f.detail()).isEqualTo("IllegalStateException: boom");
  }
}
