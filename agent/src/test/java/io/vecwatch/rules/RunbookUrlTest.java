package io.vecwatch.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Relative runbook links become absolute against the external URL, so Alertmanager's UI can open
 * them.
 */
class RunbookUrlTest {
  @Test
  void aRelativeRunbookUrlIsResolvedAgainstTheExternalUrl() {
    Map<String, String> a =
        AlertingRule.absoluteRunbook(
            Map.of("summary", "s", "runbook_url", "docs/runbooks.md#vecwatchtargetdown"),
            "https://vecwatch.example/");
    assertThat(a)
        .containsEntry(
            "runbook_url", "https://vecwatch.example/docs/runbooks.md#vecwatchtargetdown")
        .containsEntry("summary", "s");
  }

  @Test
  void anAbsoluteRunbookUrlIsLeftAlone() {
    Map<String, String> in = Map.of("runbook_url", "https://wiki.example/runbooks#x");
    assertThat(AlertingRule.absoluteRunbook(in, "https://vecwatch.example")).isSameAs(in);
  }
}
