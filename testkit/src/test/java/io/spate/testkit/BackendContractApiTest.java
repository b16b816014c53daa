package io.spate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The suite's public surface, what a backend's test sees of it: public and protected members of
 * {@link BackendContract} and {@link SamplePlans} use no {@code io.spate.internal} type, so that
 * the internals stay free to change.
 */
class BackendContractApiTest {

    @Test
    void shouldUseNoInternalTypeInThePublicOrProtectedSignaturesOfTheSuite() {
        List<String> internal = new ArrayList<>();
        for (Class<?> c : List.of(BackendContract.class, SamplePlans.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers())) {
                    check(internal, m.toGenericString(), m.getGenericReturnType());
                    check(internal, m.toGenericString(), m.getGenericParameterTypes());
                    check(internal, m.toGenericString(), m.getGenericExceptionTypes());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers())) {
                    check(internal, k.toGenericString(), k.getGenericParameterTypes());
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(internal, f.toGenericString(), f.getGenericType());
                }
            }
        }
        assertEquals(List.of(), internal);
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> internal, String member, Type... types) {
        for (Type t : types) {
            if (t instanceof Class<?> c) {
                Class<?> e = c;
                while (e.isArray()) {
                    e = e.getComponentType();
                }
                if (e.getName().startsWith("io.spate.internal.")) {
                    internal.add(member + ": " + e.getName());
                }
            } else if (t instanceof ParameterizedType p) {
                check(internal, member, p.getRawType());
                check(internal, member, p.getActualTypeArguments());
            } else if (t instanceof GenericArrayType a) {
                check(internal, member, a.getGenericComponentType());
            }
        }
    }
}
