package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.testing.ReflectionClosure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StripeNativeConfigTest {

    private static final Pattern NAMED = Pattern.compile("com\\.stripe\\.(model|param)\\.[A-Z]\\w*");

    @Test
    void everyStripeClassTheConnectorReachesByReflectionIsRegistered() throws Exception {
        Set<String> registered = Set.of(StripeNativeConfig.class.getAnnotation(RegisterForReflection.class)
                .classNames());
        Set<String> roots = new TreeSet<>(StripeNativeConfig.ROOTS);
        roots.addAll(ReflectionClosure.namedIn(Path.of("src/main/java/io/q2chub/connector/stripe"), NAMED));
        assertThat(roots).as("classes the connector names").contains("com.stripe.param.InvoiceListParams",
                "com.stripe.model.Invoice");

        Set<String> reached = ReflectionClosure.topLevelReachedFrom(roots, StripeNativeConfigTest::isStripeData);
        assertThat(reached).as("top-level classes reached").hasSizeGreaterThan(roots.size());
        assertThat(registered).containsAll(reached);
    }

    private static boolean isStripeData(Class<?> type) {
        return type.getName().startsWith("com.stripe.model.") || type.getName().startsWith("com.stripe.param.");
    }
}
