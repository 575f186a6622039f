package io.vecwatch.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hashes as real tools write them: Apache's {@code htpasswd -B} ({@code $2y$}) and Python's {@code
 * bcrypt} ({@code $2b$}, and {@code $2a$} when asked), made at test time, verify; other passwords
 * do not.
 */
class BcryptHashesTest {
  private static String python(String password, String prefix) throws Exception {
    return TestPki.run(
            List.of(
                "/usr/bin/python3",
                "-c",
                "import bcrypt,sys; sys.stdout.write(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(5, prefix=b'"
                    + prefix
                    + "')).decode())",
                password),
            0)
        .strip();
  }

  @Test
  void htpasswdHashesVerify() throws Exception {
    String h = TestPki.htpasswd("u", "correct horse", 5);
    assertThat(h).startsWith("$2y$05$");
    assertThat(WebSecurity.matches(h, "correct horse")).isTrue();
    assertThat(WebSecurity.matches(h, "correct horsE")).isFalse();
  }

  @Test
  void pythonBcrypt2bAnd2aHashesVerify() throws Exception {
    for (String prefix : List.of("2b", "2a")) {
      String h = python("pässwörd", prefix);
      assertThat(h).startsWith("$" + prefix + "$05$");
      assertThat(WebSecurity.matches(h, "pässwörd")).as(prefix).isTrue();
      assertThat(WebSecurity.matches(h, "passwort")).as(prefix).isFalse();
    }
  }

  @Test
  void aMalformedHashMatchesNothing() {
    assertThat(WebSecurity.matches("$2y$05$tooShort", "")).isFalse();
  }
}
