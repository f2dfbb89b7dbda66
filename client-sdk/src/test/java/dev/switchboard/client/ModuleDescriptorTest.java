package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compiled module descriptor: its name and API are part of the SDK's contract. */
class ModuleDescriptorTest {

  /** The descriptor of target/classes, read as the JDK reads a module: module-info.class and the packages found. */
  private static ModuleDescriptor descriptor() throws Exception {
    // The classes directory (or jar) Switchboard was loaded from, on the class path or the module path alike.
    Path classes = Path.of(Switchboard.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<ModuleReference> found = ModuleFinder.of(classes).findAll();
    assertThat(found).hasSize(1);
    return found.iterator().next().descriptor();
  }

  @Test
  void nameAndExportedPackages() throws Exception {
    ModuleDescriptor d = descriptor();
    assertThat(d.name()).isEqualTo("dev.switchboard.client");
    assertThat(d.isOpen()).isFalse();
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.switchboard.client", "dev.switchboard.protocol", "dev.switchboard.admin");
    assertThat(d.opens()).isEmpty();
    assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
        .contains("java.net.http", "com.fasterxml.jackson.databind");
  }

  @Test
  void theImplementationIsNotExported() throws Exception {
    assertThat(descriptor().packages()).contains("dev.switchboard.client.impl", "dev.switchboard.admin.impl");
    if (Switchboard.class.getModule().isNamed()) { // tests run on the module path: the runtime agrees
      assertThat(Switchboard.class.getModule().getName()).isEqualTo("dev.switchboard.client");
      assertThat(Switchboard.class.getModule().isExported("dev.switchboard.client.impl")).isFalse();
      assertThat(Switchboard.class.getModule().isExported("dev.switchboard.admin.impl")).isFalse();
    }
  }
}
