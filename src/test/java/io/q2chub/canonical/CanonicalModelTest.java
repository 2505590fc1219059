package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanonicalModelTest {

    @Test
    void everyRecordAndEnumAnEventCarriesIsRegisteredForReflection() {
        Set<Class<?>> registered = Set.of(CanonicalModel.class.getAnnotation(RegisterForReflection.class).targets());
        Set<Class<?>> carried = new LinkedHashSet<>();
        Deque<Class<?>> toVisit = new ArrayDeque<>();
        EventTypes.all().forEach(type -> toVisit.add(EventTypes.dataClassOf(type)));
        while (!toVisit.isEmpty()) {
            Class<?> type = toVisit.pop();
            if (!type.getPackageName().equals(CanonicalModel.class.getPackageName()) || !carried.add(type)) {
                continue;
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    toVisit.add(component.getType());
                    addTypeArguments(component.getGenericType(), toVisit);
                }
            }
        }
        assertThat(carried).as("records and enums reachable from the event types").contains(Invoice.class,
                InvoiceLine.class, TaxLine.class, Money.class, Payout.Item.class);
        assertThat(registered).containsAll(carried);
    }

    private static void addTypeArguments(Type generic, Deque<Class<?>> toVisit) {
        if (generic instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                if (argument instanceof Class<?> c) {
                    toVisit.add(c);
                }
            }
        }
    }
}
