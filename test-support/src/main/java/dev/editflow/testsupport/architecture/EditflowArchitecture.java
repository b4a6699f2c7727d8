package dev.editflow.testsupport.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * editflow's house rules, checked on the main classes of every {@code dev.editflow} module on the
 * test classpath of the module that runs them: each service module has a one-line {@code
 * ArchitectureTests extends EditflowArchitecture}, so every service is checked with the libraries
 * it uses. Reads class files only: no infrastructure.
 */
public abstract class EditflowArchitecture {

  static final List<String> SERVICES =
      List.of(
          "dev.editflow.gateway",
          "dev.editflow.worker",
          "dev.editflow.archiver",
          "dev.editflow.falsim");

  static final String STACK_LAUNCHER = "dev.editflow.stack..";

  private static final String CONFIGURATION_PROPERTIES =
      "org.springframework.boot.context.properties.ConfigurationProperties";
  private static final String VALUE = "org.springframework.beans.factory.annotation.Value";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(editflow\\.[a-z0-9.-]+)");

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("/dev/editflow/testsupport/"))
          .importLocations(editflowLocations());

  /**
   * The class directories and jars holding {@code dev.editflow}: found through the class loader
   * rather than ArchUnit's package import, which opens every jar on the classpath (a minute on a
   * loaded machine).
   */
  private static List<Location> editflowLocations() {
    try {
      return Collections.list(
              EditflowArchitecture.class.getClassLoader().getResources("dev/editflow"))
          .stream()
          .map(Location::of)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void servicesNeverImportEachOtherAndLibrariesNoService() {
    for (String service : SERVICES) {
      String[] others =
          SERVICES.stream()
              .filter(s -> !s.equals(service))
              .map(s -> s + "..")
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage(service + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others)
          .allowEmptyShould(true) // a module has one service on its classpath
          .check(MAIN);
    }
    String[] services = SERVICES.stream().map(s -> s + "..").toArray(String[]::new);
    noClasses()
        .that()
        .resideOutsideOfPackages(services)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(services)
        .check(MAIN);
  }

  /**
   * The stack launcher runs the services from outside (local stack, system tests, benchmarks): it
   * reaches them only through their jars, and nothing that ships inside a service uses it.
   */
  @Test
  void theStackLauncherStaysOutsideTheServices() {
    noClasses()
        .that()
        .resideOutsideOfPackages(STACK_LAUNCHER, "dev.editflow.local..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(STACK_LAUNCHER)
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage(STACK_LAUNCHER)
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.editflow..").and(resideOutsideOfPackage(STACK_LAUNCHER)))
        .check(MAIN);
  }

  @Test
  void controllersAndConfigurationOfAServiceStayPackagePrivate() {
    classes()
        .that()
        .resideInAnyPackage(SERVICES.stream().map(s -> s + "..").toArray(String[]::new))
        .and(
            annotatedWith("org.springframework.web.bind.annotation.RestController")
                .or(annotatedWith("org.springframework.stereotype.Controller"))
                .or(annotatedWith("org.springframework.context.annotation.Configuration")))
        .should()
        .notBePublic()
        .check(MAIN);
  }

  @Test
  void settingsAreRecordsNamedSettings() {
    classes()
        .that()
        .areAnnotatedWith(CONFIGURATION_PROPERTIES)
        .should()
        .beRecords()
        .andShould()
        .haveSimpleNameEndingWith("Settings")
        .allowEmptyShould(true)
        .check(MAIN);
    noMethods()
        .should()
        .beAnnotatedWith(CONFIGURATION_PROPERTIES)
        .because("settings bind to *Settings records, not to @Bean methods")
        .check(MAIN);
  }

  @Test
  void nothingIsInjectedWithValue() {
    noFields().should().beAnnotatedWith(VALUE).check(MAIN);
    noCodeUnits().should().beAnnotatedWith(VALUE).check(MAIN);
    codeUnits().should(haveNoParameterAnnotatedWith(VALUE)).allowEmptyShould(true).check(MAIN);
  }

  @Test
  void placeholdersNameDeclaredSettings() {
    classes()
        .should(usePlaceholdersOnlyFor(declaredSettings()))
        .because("every setting is declared in a *Settings record")
        .check(MAIN);
  }

  private static ArchCondition<JavaCodeUnit> haveNoParameterAnnotatedWith(String annotation) {
    return new ArchCondition<>("have no parameter annotated with @" + annotation) {
      @Override
      public void check(JavaCodeUnit codeUnit, ConditionEvents events) {
        codeUnit.getParameters().stream()
            .filter(parameter -> parameter.isAnnotatedWith(annotation))
            .forEach(
                parameter ->
                    events.add(
                        SimpleConditionEvent.violated(
                            codeUnit, parameter.getDescription() + " is injected with @Value")));
      }
    };
  }

  private static ArchCondition<JavaClass> usePlaceholdersOnlyFor(Set<String> declared) {
    return new ArchCondition<>("use ${editflow.*} placeholders only for declared settings") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        Stream.concat(
                javaClass.getAnnotations().stream(),
                Stream.concat(
                    javaClass.getCodeUnits().stream().flatMap(c -> c.getAnnotations().stream()),
                    javaClass.getFields().stream().flatMap(f -> f.getAnnotations().stream())))
            .flatMap(EditflowArchitecture::placeholders)
            .filter(key -> !declared.contains(key))
            .forEach(
                key ->
                    events.add(
                        SimpleConditionEvent.violated(
                            javaClass,
                            javaClass.getName()
                                + " reads ${"
                                + key
                                + "}, which no settings record declares")));
      }
    };
  }

  private static Stream<String> placeholders(JavaAnnotation<?> annotation) {
    return annotation.getProperties().values().stream()
        .flatMap(value -> value instanceof Object[] array ? Arrays.stream(array) : Stream.of(value))
        .filter(String.class::isInstance)
        .map(String.class::cast)
        .flatMap(
            text -> {
              Matcher matcher = PLACEHOLDER.matcher(text);
              return matcher.results().map(result -> result.group(1));
            });
  }

  /** Every property path the settings records declare, e.g. {@code editflow.worker.poll-max}. */
  private static Set<String> declaredSettings() {
    Set<String> declared = new HashSet<>();
    MAIN.stream()
        .filter(c -> c.isAnnotatedWith(CONFIGURATION_PROPERTIES))
        .forEach(
            settings -> {
              JavaAnnotation<JavaClass> binding =
                  settings.getAnnotationOfType(CONFIGURATION_PROPERTIES);
              String prefix =
                  Stream.of("value", "prefix")
                      .map(name -> String.valueOf(binding.get(name).orElse("")))
                      .filter(name -> !name.isEmpty())
                      .findFirst()
                      .orElseThrow();
              declare(prefix, settings, declared);
            });
    return declared;
  }

  private static void declare(String prefix, JavaClass settings, Set<String> declared) {
    for (JavaField component : settings.getFields()) {
      if (component.getModifiers().contains(JavaModifier.STATIC)) {
        continue;
      }
      String path = prefix + "." + kebab(component.getName());
      declared.add(path);
      JavaClass type = component.getRawType();
      if (type.isRecord() && type.getPackageName().startsWith("dev.editflow")) {
        declare(path, type, declared);
      }
    }
  }

  private static String kebab(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
