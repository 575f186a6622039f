package io.vecwatch.rules.template;

/**
 * A template is malformed or uses syntax outside the supported subset (at load), or failed to
 * expand.
 */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
