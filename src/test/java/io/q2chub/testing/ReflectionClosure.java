package io.q2chub.testing;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a library binds by reflection from the classes a connector names, for the tests that check a connector's
 * native configuration registers all of it (a vendor upgrade or a new call must not leave a class out).
 */
public final class ReflectionClosure {

    private ReflectionClosure() {
    }

    /** Every match of {@code name} in the source files of {@code sources} (imports and qualified uses). */
    public static Set<String> namedIn(Path sources, Pattern name) throws IOException {
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path source : files.toList()) {
                Matcher m = name.matcher(Files.readString(source));
                while (m.find()) {
                    named.add(m.group());
                }
            }
        }
        return named;
    }

    /**
     * The top-level classes of everything in scope reachable from the roots through superclasses, nested classes
     * and instance fields (with their type arguments), as a JSON binder walks them.
     */
    public static Set<String> topLevelReachedFrom(Set<String> roots, Predicate<Class<?>> inScope)
            throws ClassNotFoundException {
        Deque<Class<?>> toVisit = new ArrayDeque<>();
        for (String root : roots) {
            toVisit.add(Class.forName(root, false, ReflectionClosure.class.getClassLoader()));
        }
        Set<Class<?>> seen = new HashSet<>();
        Set<String> topLevel = new TreeSet<>();
        while (!toVisit.isEmpty()) {
            Class<?> type = toVisit.pop();
            if (!inScope.test(type) || !seen.add(type)) {
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
            toVisit.addAll(List.of(type.getDeclaredClasses()));
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    addTypes(field.getGenericType(), toVisit);
                }
            }
        }
        return topLevel;
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
