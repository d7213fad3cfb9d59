package io.eqntk;

import com.tngtech.archunit.core.domain.InstanceofCheck;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures;
import io.eqntk.layer.Layer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The core library's packages in the order the data flows (README, "Package layout"): a package may use only the
 * packages in the rows before its own, so no import runs back up; and only the layer package tells concrete layer
 * classes apart. Checked on the compiled main classes (ArchUnit reads the byte code, so a class named only in a
 * comment is no dependency).
 */
class LayeringTest {
    /** The rows, bottom first: each a name and its packages (ArchUnit syntax: {@code ..} takes sub-packages in). */
    static final List<String[]> ROWS = List.of(
        new String[] {"base", "io.eqntk", "io.eqntk.util", "io.eqntk.io", "io.eqntk.group"},
        new String[] {"data", "io.eqntk.data"},
        new String[] {"nonlin", "io.eqntk.nonlin"},
        new String[] {"sphere", "io.eqntk.sphere"},
        new String[] {"model", "io.eqntk.model"},
        new String[] {"finite", "io.eqntk.finite"},
        new String[] {"layer", "io.eqntk.layer"},
        new String[] {"arch", "io.eqntk.arch"},
        new String[] {"kernel", "io.eqntk.kernel.."},
        new String[] {"sphere kernels", "io.eqntk.sphere.kernel"},
        new String[] {"network", "io.eqntk.network"},
        new String[] {"store", "io.eqntk.store"},
        new String[] {"predict", "io.eqntk.predict"},
        new String[] {"train", "io.eqntk.train"},
        new String[] {"dynamics", "io.eqntk.dynamics"},
        new String[] {"experiment", "io.eqntk.experiment", "io.eqntk.sphere.experiment"});

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.eqntk");
    }

    /** Each row may be used only by the rows above it; every class of the core sits in some row. */
    static Architectures.LayeredArchitecture layering() {
        Architectures.LayeredArchitecture rule = Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers().ensureAllClassesAreContainedInArchitecture();
        for (String[] row : ROWS) {
            rule = rule.layer(row[0]).definedBy(Arrays.copyOfRange(row, 1, row.length));
        }
        for (int i = 0; i < ROWS.size() - 1; i++) {
            String[] above = ROWS.subList(i + 1, ROWS.size()).stream().map(r -> r[0]).toArray(String[]::new);
            rule = rule.whereLayer(ROWS.get(i)[0]).mayOnlyBeAccessedByLayers(above);
        }
        return rule.whereLayer(ROWS.get(ROWS.size() - 1)[0]).mayNotBeAccessedByAnyLayer();
    }

    @Test
    void noImportRunsBackUpTheDataFlow() {
        layering().check(core);
    }

    /**
     * The engine's sub-packages ({@code kernel.map}: the entry maps) are public only so that the engine's own
     * packages can reach them: no class outside {@code io.eqntk.kernel..} uses them.
     */
    @Test
    void theEnginesInternalsStayInTheEngine() {
        noClasses().that().resideOutsideOfPackage("io.eqntk.kernel..")
            .should().dependOnClassesThat().resideInAPackage(ENGINE_INTERNALS).check(core);
    }

    /** Any package below {@code io.eqntk.kernel} (ArchUnit syntax). */
    static final String ENGINE_INTERNALS = "io.eqntk.kernel.*..";

    @Test
    void onlyTheLayerPackageTellsConcreteLayersApart() {
        classes().that().resideOutsideOfPackage("io.eqntk.layer").should(checkNoInstanceofOnLayerClasses())
            .check(core);
    }

    /**
     * No {@code instanceof} (or pattern match) on a class that implements {@link Layer}, abstract or not: outside
     * the layer package code asks a layer through {@link Layer}'s methods (or a layer interface), never by its class.
     */
    private static ArchCondition<JavaClass> checkNoInstanceofOnLayerClasses() {
        return new ArchCondition<>("not check instanceof on a layer class") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaCodeUnit u : c.getCodeUnits()) {
                    for (InstanceofCheck check : u.getInstanceofChecks()) {
                        JavaClass type = check.getRawType();
                        if (!type.isInterface() && type.isAssignableTo(Layer.class)) {
                            events.add(SimpleConditionEvent.violated(check, u.getFullName() + " checks instanceof "
                                + type.getSimpleName() + " " + check.getSourceCodeLocation()));
                        }
                    }
                }
            }
        };
    }
}
