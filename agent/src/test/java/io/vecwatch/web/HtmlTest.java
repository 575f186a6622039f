package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesEveryCharacterThatEndsTextOrAnAttribute() {
    assertThat(Html.esc("<script>alert('x') & \"y\"</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    assertThat(Html.esc("plain")).isEqualTo("plain");
    assertThat(Html.esc(null)).isEmpty();
  }

  @Test
  void linksKeepHttpAndRelativeUrlsAndDropOtherSchemes() {
    assertThat(Html.href("https://runbooks.example/x?a=1&b=2"))
        .isEqualTo("https://runbooks.example/x?a=1&amp;b=2");
    assertThat(Html.href("docs/runbooks.md#vecwatchrecalllow"))
        .isEqualTo("docs/runbooks.md#vecwatchrecalllow");
    assertThat(Html.href("javascript:alert(1)")).isEmpty();
    assertThat(Html.href(" JavaScript:alert(1)")).isEmpty();
    assertThat(Html.href("data:text/html,<b>")).isEmpty();
  }
}
