package io.vecwatch.target.milvus;

import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What went wrong in one Milvus SDK call, reduced to what the agent acts on. The SDK wraps gRPC
 * errors (its own relocated {@code io.milvus.shaded.io.grpc.StatusRuntimeException}) in {@link
 * MilvusClientException}; server-side errors carry a Milvus error code instead.
 *
 * @param kind how the agent reacts
 * @param detail one line for logs and errors: the gRPC code or server reason, never a credential
 */
public record MilvusFailure(Kind kind, String detail) {

  /** Classes of failure, each with its own reaction. */
  public enum Kind {
    /**
     * The server cannot be reached (connection refused, DNS, TLS handshake, ...): reconnect with
     * backoff.
     */
    UNREACHABLE,
    /**
     * The call's deadline passed: a probe timeout, or a dead server when even health checks time
     * out.
     */
    TIMEOUT,
    /** Wrong credentials: the user must fix them; retried rarely, logged once. */
    UNAUTHENTICATED,
    /** The user lacks a privilege for this call: that feature is unavailable. */
    PERMISSION_DENIED,
    /** The server does not implement the call (Milvus Lite): that feature is unavailable. */
    UNIMPLEMENTED,
    /** The collection (or database) does not exist: the target is misconfigured. */
    NOT_FOUND,
    /** The server answered with an error. */
    SERVER_ERROR,
    /** The call was cancelled (agent shutting down, client replaced). */
    CANCELLED,
    /** Anything else (a bug, a malformed answer). */
    OTHER
  }

  // Milvus error codes (milvus/pkg/util/merr): collection not found, database not found
  private static final int CODE_COLLECTION_NOT_FOUND = 100;
  private static final int CODE_DATABASE_NOT_FOUND = 800;
  private static final Pattern CODE_IN_TEXT =
      Pattern.compile(
          "StatusRuntimeException: (OK|CANCELLED|UNKNOWN|INVALID_ARGUMENT|DEADLINE_EXCEEDED|NOT_FOUND|ALREADY_EXISTS|"
              + "PERMISSION_DENIED|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|INTERNAL|"
              + "UNAVAILABLE|DATA_LOSS|UNAUTHENTICATED):? ?([^\\n]*)");
  private static final Pattern AFTER = Pattern.compile("deadline exceeded after (\\d+(?:\\.\\d)?)");

  public static MilvusFailure of(Throwable t) {
    Optional<StatusRuntimeException> grpc = grpcCause(t);
    if (grpc.isPresent()) {
      Status status = grpc.get().getStatus();
      String description = status.getDescription() == null ? "" : status.getDescription();
      if (status.getCode() == Status.Code.DEADLINE_EXCEEDED
          && description.contains("waiting_for_connection")) {
        // the call never had a connection (the SDK waits for one until the deadline): the server is
        // unreachable
        Matcher m = AFTER.matcher(description);
        String after = m.find() ? " within " + m.group(1) + "s" : "";
        return new MilvusFailure(
            Kind.UNREACHABLE,
            "no connection" + after + " (refused, unreachable, or TLS handshake failed)");
      }
      String detail = status.getCode() + (description.isEmpty() ? "" : ": " + description);
      if (status.getCode() == Status.Code.UNKNOWN && description.contains("channel closed")) {
        // the server went away with the call in flight (seen when Milvus is killed mid-search)
        return new MilvusFailure(Kind.UNREACHABLE, oneLine(detail));
      }
      Kind kind =
          switch (status.getCode()) {
            case UNAVAILABLE -> Kind.UNREACHABLE;
            case DEADLINE_EXCEEDED -> Kind.TIMEOUT;
            case UNAUTHENTICATED -> Kind.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Kind.PERMISSION_DENIED;
            case UNIMPLEMENTED -> Kind.UNIMPLEMENTED;
            case CANCELLED -> Kind.CANCELLED;
            case NOT_FOUND -> Kind.NOT_FOUND;
            default -> Kind.SERVER_ERROR;
          };
      return new MilvusFailure(kind, oneLine(detail));
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof MilvusClientException m
          && m.getErrorCode() == ErrorCode.RPC_ERROR
          && m.getMessage() != null) {
        // with SDK retries on, the gRPC exception survives only as text:
        // "...StatusRuntimeException: CODE: ..."
        Matcher code = CODE_IN_TEXT.matcher(m.getMessage());
        if (code.find()) {
          Status s =
              Status.fromCode(Status.Code.valueOf(code.group(1))).withDescription(code.group(2));
          return of(s.asRuntimeException());
        }
      }
      if (c instanceof MilvusClientException m && m.getErrorCode() == ErrorCode.SERVER_ERROR) {
        int code = m.getServerErrCode();
        String reason =
            m.getMessage() == null || m.getMessage().isBlank()
                ? "server error code " + code
                : m.getMessage();
        Kind kind =
            code == CODE_COLLECTION_NOT_FOUND || code == CODE_DATABASE_NOT_FOUND
                ? Kind.NOT_FOUND
                : Kind.SERVER_ERROR;
        return new MilvusFailure(kind, oneLine(reason));
      }
      if (c instanceof InterruptedException) {
        return new MilvusFailure(Kind.CANCELLED, "interrupted");
      }
    }
    String msg =
        t.getMessage() == null
            ? t.getClass().getSimpleName()
            : t.getClass().getSimpleName() + ": " + t.getMessage();
    return new MilvusFailure(Kind.OTHER, oneLine(msg));
  }

  /** The SDK's relocated gRPC status exception anywhere in the cause chain. */
  static Optional<StatusRuntimeException> grpcCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) {
        return Optional.of(s);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return Optional.empty();
  }

  /** Whether the connection itself is suspect (as opposed to this one call). */
  public boolean connectionLost() {
    return kind == Kind.UNREACHABLE;
  }

  private static String oneLine(String s) {
    String line = s.replaceAll("\\s+", " ").strip();
    // the SDK appends its own code after the reason; keep the reason readable
    int sdk = line.indexOf(" ErrorCode: ");
    if (sdk > 0) {
      line = line.substring(0, sdk);
    }
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }

  @Override
  public String toString() {
    return kind + " (" + detail + ")";
  }
}
