package io.vecwatch.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Validates report.json files against the schema committed at {@code docs/load-report.schema.json}.
 */
public final class ReportSchema {
  private ReportSchema() {}

  static Path schemaFile() {
    Path p = Path.of(System.getProperty("vecwatch.repo", ".."), "docs", "load-report.schema.json");
    return Files.exists(p) ? p : Path.of("docs", "load-report.schema.json");
  }

  public static OutputUnit validate(String json) throws IOException {
    JsonSchema schema = JsonSchema.of(new JsonObject(Files.readString(schemaFile())));
    Validator v =
        Validator.create(
            schema,
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri("https://vecwatch.io/")
                .setOutputFormat(OutputFormat.Basic));
    return v.validate(new JsonObject(json));
  }

  public static void assertValid(Path reportJson) throws IOException {
    OutputUnit out = validate(Files.readString(reportJson));
    assertThat(out.getValid())
        .as("%s against the schema: %s", reportJson, out.getErrors())
        .isTrue();
  }
}
