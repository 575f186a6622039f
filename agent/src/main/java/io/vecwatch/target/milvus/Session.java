package io.vecwatch.target.milvus;

import io.milvus.v2.client.MilvusClientV2;

/**
 * One live connection: the SDK client, the channel the probe's searches take, what was learnt about
 * the collection at first contact, the server's version and which optional calls it supports.
 * Replaced as a whole on reconnect, so nothing of a lost server lingers.
 *
 * @param searches the probe's canary searches (see {@link DirectSearch})
 * @param serverVersion as the server reports it ({@code v2.3.5}, {@code milvus_lite-3.2.2}), or
 *     {@code unknown}
 */
public record Session(
    MilvusClientV2 client,
    DirectSearch searches,
    CollectionInfo info,
    String serverVersion,
    Features features) {

  /**
   * Closes the client's and the searches' channels; in-flight calls end as CANCELLED. Never throws.
   */
  public void close() {
    searches.close();
    closeQuietly(client);
  }

  static void closeQuietly(MilvusClientV2 client) {
    try {
      client.close(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // closing a broken channel: nothing left to release
    }
  }
}
