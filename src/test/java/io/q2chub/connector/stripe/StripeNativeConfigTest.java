package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StripeNativeConfigTest {

    private static final Pattern NAMED = Pattern.compile("com\\.stripe\\.(model|param)\\.[A-Z]\\w*");

    @Test
    void everyStripeClassTheConnectorReachesByReflectionIsRegistered() throws Exception {
        Set<String> registered = Set.of(StripeNativeConfig.class.getAnnotation(RegisterForReflection.class)
                .classNames());
        Set<String> roots = new TreeSet<>(StripeNativeConfig.ROOTS);
        roots.addAll(namedInTheConnector());
        assertThat(roots).as("classes the connector names").contains("com.stripe.param.InvoiceListParams",
                "com.stripe.model.Invoice");

        Set<String> reached = reachedFrom(roots);
        assertThat(reached).as("top-level classes reached").hasSizeGreaterThan(roots.size());
        assertThat(registered).containsAll(reached);
    }

    /** Stripe model and parameter classes the connector's sources name (imports and qualified uses). */
    private static Set<String> namedInTheConnector() throws IOException {
        Set<String> named = new TreeSet<>();
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/q2chub/connector/stripe"))) {
            for (Path source : sources.toList()) {
                Matcher m = NAMED.matcher(Files.readString(source));
                while (m.find()) {
                    named.add(m.group());
                }
            }
        }
        return named;
    }

    /** The top-level classes of everything reachable through superclasses, nested classes and instance fields. */
    private static Set<String> reachedFrom(Set<String> roots) throws ClassNotFoundException {
        Deque<Class<?>> toVisit = new ArrayDeque<>();
        for (String root : roots) {
            toVisit.add(Class.forName(root));
        }
        Set<Class<?>> seen = new java.util.HashSet<>();
        Set<String> topLevel = new TreeSet<>();
        while (!toVisit.isEmpty()) {
            Class<?> type = toVisit.pop();
            if (!isStripeData(type) || !seen.add(type)) {
                continue;
            }
            Class<?> top = type;
            while (top.getEnclosingClass() != null) {
                top = top.getEnclosingClass();
            }
            topLevel.add(top.getName());
            if (type.getSuperclass() != null) {
                toVisit.add(type.getSuperclass());
            }
            toVisit.addAll(java.util.List.of(type.getDeclaredClasses()));
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    addTypes(field.getGenericType(), toVisit);
                }
            }
        }
        return topLevel;
    }

    private static boolean isStripeData(Class<?> type) {
        return type.getName().startsWith("com.stripe.model.") || type.getName().startsWith("com.stripe.param.");
    }

    private static void addTypes(Type type, Deque<Class<?>> toVisit) {
        if (type instanceof Class<?> c) {
            toVisit.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            addTypes(p.getRawType(), toVisit);
            for (Type argument : p.getActualTypeArguments()) {
                addTypes(argument, toVisit);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                addTypes(bound, toVisit);
            }
        }
    }
}
