package io.vecwatch.rules.fuzz;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzz input with a deadline, so a hang fails the fuzz test (naming the input) instead of
 * stalling the build. A worker stuck in a hang is abandoned (a daemon thread) and a fresh one takes
 * over. The first input of a JVM gets longer: it also loads the parser's classes, which the fuzzer
 * instruments as they load (over 10 s for SnakeYAML, Jackson and the config reader on a loaded
 * machine).
 */
public final class Bounded {
  /** Far above any legitimate parse or evaluation of a fuzz input, even on a loaded machine. */
  public static final Duration DEADLINE = Duration.ofSeconds(10);

  /** The first input's deadline (see above). */
  static final Duration FIRST_DEADLINE = Duration.ofSeconds(60);

  private static boolean warm;

  private static ExecutorService worker = newWorker();

  private Bounded() {}

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "fuzz-worker");
          t.setDaemon(true);
          return t;
        });
  }

  /** The result of {@code task}, or what it threw (unchecked as it was; checked ones wrapped). */
  public static synchronized <T> T call(Callable<T> task, Object input) throws Throwable {
    Future<T> f = worker.submit(task);
    Duration deadline = warm ? DEADLINE : FIRST_DEADLINE;
    try {
      return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      worker = newWorker();
      throw new AssertionError(
          "no result within " + deadline + " (a hang?) for input: " + describe(input));
    } catch (ExecutionException e) {
      throw e.getCause();
    } finally {
      warm = true;
    }
  }

  /** A readable, bounded rendering of an input for failure messages. */
  public static String describe(Object input) {
    String s = String.valueOf(input);
    s = s.length() > 400 ? s.substring(0, 400) + "... (" + s.length() + " chars)" : s;
    return '"' + s.replace("\n", "\\n") + '"';
  }
}
