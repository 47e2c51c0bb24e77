package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every operator with a registered gradient rule is exercised by at least one finite-difference case: a rule
 * added to {@link StandardRules} without a case in one of the tables below fails here, naming the operator.
 */
class GradientRuleCoverageTest {
    /** The tables of finite-difference cases, one line per test class that keeps one. */
    static Stream<GradCheck> allCases() {
        return Stream.of(
                ElementwiseAndLinearGradTest.cases(),
                GemmNormAndPiecewiseGradTest.cases(),
                ShapeAndSoftmaxGradTest.cases(),
                ConvPoolGradTest.cases(),
                BatchNormCompositeGradTest.cases(),
                BatchGemmConvTest.cases())
                .flatMap(cases -> cases);
    }

    @Test
    void everyRegisteredRuleHasAFiniteDifferenceCase() {
        Set<String> exercised = new TreeSet<>();
        allCases().forEach(c -> exercised.addAll(c.differentiatedOperators()));
        Set<String> missing = new TreeSet<>(GradientRegistry.standard().operators());
        missing.removeAll(exercised);
        assertEquals(Set.of(), missing,
                "gradient rules that no finite-difference case exercises (add one to a cases() table)");
    }
}
