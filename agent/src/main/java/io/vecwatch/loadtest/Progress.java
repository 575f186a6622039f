package io.vecwatch.loadtest;

/** Where a run says what it is doing: a progress bar on a terminal, plain lines otherwise. */
public interface Progress {
  Progress NONE =
      new Progress() {
        @Override
        public void stepStarted(String label, long plannedNanos) {}

        @Override
        public void stepFinished(String label, StepResult result) {}
      };

  /** A step begins; it should take about {@code plannedNanos}. */
  void stepStarted(String label, long plannedNanos);

  /** The step ended (possibly cut short). */
  void stepFinished(String label, StepResult result);
}
