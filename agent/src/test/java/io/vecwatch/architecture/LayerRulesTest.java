package io.vecwatch.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules between vecwatch's packages, checked on the compiled main classes (tests may
 * cross layers). docs/architecture.md describes the layers these rules keep honest.
 */
@AnalyzeClasses(packages = "io.vecwatch", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {

  @ArchTest
  static final ArchRule configImportsNoRuntimePackage =
      noClasses()
          .that()
          .resideInAPackage("io.vecwatch.config..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vecwatch.target..",
              "io.vecwatch.probe..",
              "io.vecwatch.stats..",
              "io.vecwatch.rules..",
              "io.vecwatch.agent..",
              "io.vecwatch.web..",
              "io.vecwatch.cli..",
              "io.vecwatch.export..",
              "io.vecwatch.notify..",
              "io.vecwatch.telemetry..",
              "io.vecwatch.serverside..",
              "io.vecwatch.metrics..",
              "io.vecwatch.resources..",
              "io.vecwatch.knn..",
              "io.vecwatch.capacity..")
          .because(
              "the config package only reads and validates files; target kinds plug in through TargetKindLookup");

  @ArchTest
  static final ArchRule targetKindPackagesNeverImportEachOther =
      slices()
          .matching("io.vecwatch.target.(*)..")
          .should()
          .notDependOnEachOther()
          // the registry lists every kind: its one line per kind is the only way in
          .ignoreDependency(resideInAPackage("io.vecwatch.target.registry"), alwaysTrue())
          .because(
              "each database kind is self-contained: one package plus one line in TargetKinds");

  @ArchTest
  static final ArchRule inProcessKindsNeverImportEachOther =
      noClasses()
          .that()
          .haveFullyQualifiedName("io.vecwatch.target.FlatTarget")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("io.vecwatch.target.LuceneHnswTarget")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("io.vecwatch.target.milvus..");

  @ArchTest
  static final ArchRule onlyTheRegistryKnowsTheMilvusKind =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.vecwatch.target.milvus..", "io.vecwatch.target.registry..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vecwatch.target.milvus..", "io.milvus..")
          .because("generic packages reach a kind through its TargetKind hooks, never by name");

  @ArchTest
  static final ArchRule probeDoesNotImportExportOrNotify =
      noClasses()
          .that()
          .resideInAPackage("io.vecwatch.probe..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vecwatch.export..", "io.vecwatch.notify..")
          .because(
              "exporters listen to the probe through probe.ProbeListener; the probe knows none of them");

  @ArchTest
  static final ArchRule statsDoesNotImportTarget =
      noClasses()
          .that()
          .resideInAPackage("io.vecwatch.stats..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.vecwatch.target..")
          .because("statistics are plain values about measurements, whatever was measured");

  @ArchTest
  static final ArchRule nothingImportsTheCommandLine =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.vecwatch.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.vecwatch.cli..")
          .because("the command line is the outermost layer");

  @ArchTest
  static final ArchRule coreKnowsNoMetricsHttpOrTracingLibrary =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.vecwatch.config..",
              "io.vecwatch.dataset..",
              "io.vecwatch.knn..",
              "io.vecwatch.target..",
              "io.vecwatch.probe..",
              "io.vecwatch.stats..",
              "io.vecwatch.time..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.micrometer..", "io.vertx..", "io.opentelemetry..")
          .because("measuring is independent of how the numbers are exported");

  @ArchTest
  static final ArchRule onlyWebAndAgentKnowVertx =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.vecwatch.web..", "io.vecwatch.agent..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.vertx..");

  @ArchTest
  static final ArchRule packagesHaveNoCycles =
      slices()
          .matching("io.vecwatch.(**)")
          .should()
          .beFreeOfCycles()
          .because("every package (each sub-package its own slice) depends one way only");
}
