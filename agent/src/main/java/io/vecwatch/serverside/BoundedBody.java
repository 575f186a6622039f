package io.vecwatch.serverside;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as UTF-8 text that fails (and stops reading) once it exceeds {@code
 * maxBytes}.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
  private final int maxBytes;
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  private BoundedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  static HttpResponse.BodyHandler<String> handler(int maxBytes) {
    return info -> new BoundedBody(maxBytes);
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      if (buf.size() + b.remaining() > maxBytes) {
        subscription.cancel();
        result.completeExceptionally(
            new UncheckedIOException(
                new IOException("response larger than " + maxBytes + " bytes")));
        return;
      }
      byte[] a = new byte[b.remaining()];
      b.get(a);
      buf.write(a, 0, a.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buf.toString(StandardCharsets.UTF_8));
  }
}
