package io.vecwatch.agent;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads, always (as in Prometheus). A process started with SIGHUP ignored ({@code nohup})
 * cannot handle it: the JVM refuses the handler, and the agent says so once at start.
 */
final class Sighup {
  private static final Logger LOG = LoggerFactory.getLogger(Sighup.class);

  private static final String NOHUP =
      "SIGHUP is ignored by the parent process (started under nohup?): SIGHUP "
          + "will not reload; use POST /-/reload with --web.enable-lifecycle, or start without nohup";

  private Sighup() {}

  /**
   * Installs the handler; {@code reload} runs on its own thread and returns a one-line outcome to
   * log.
   */
  @SuppressWarnings("restriction")
  static boolean install(Supplier<String> reload) {
    try {
      SignalHandler old =
          Signal.handle(
              new Signal("HUP"),
              sig -> {
                Thread t =
                    new Thread(
                        () -> LOG.info("SIGHUP reload: {}", reload.get()),
                        "vecwatch-sighup-reload");
                t.setDaemon(true);
                t.start();
              });
      // HotSpot leaves an ignored SIGHUP ignored and reports SIG_IGN as the previous handler
      if (old == SignalHandler.SIG_IGN) {
        LOG.warn(NOHUP);
        return false;
      }
      return true;
    } catch (IllegalArgumentException e) {
      LOG.warn(NOHUP);
      return false;
    } catch (UnsupportedOperationException | LinkageError e) {
      LOG.warn("SIGHUP reload is not available on this JVM: {}", e.toString());
      return false;
    }
  }
}
