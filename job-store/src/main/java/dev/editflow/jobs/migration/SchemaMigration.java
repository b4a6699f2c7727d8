package dev.editflow.jobs.migration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Applies the pending schema migrations and exits: the one step of a rollout that migrates, while
 * the services wait for it ({@code editflow.migrations.apply-on-startup=false}). Every service jar
 * contains it; run it with the jar's properties launcher:
 *
 * <pre>
 * java -Dloader.main=dev.editflow.jobs.migration.SchemaMigration \
 *     -cp app.jar org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 *
 * It reads the same {@code spring.datasource.*} and {@code spring.flyway.*} settings as the
 * services and starts nothing but the data source and Flyway.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
public class SchemaMigration {

  public static void main(String[] args) {
    System.exit(SpringApplication.exit(run(args)));
  }

  /** Migrates during startup; the returned context holds nothing else worth keeping open. */
  static ConfigurableApplicationContext run(String... args) {
    SpringApplication application = new SpringApplication(SchemaMigration.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    return application.run(args);
  }
}
