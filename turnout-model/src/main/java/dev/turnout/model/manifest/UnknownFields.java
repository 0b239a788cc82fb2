package dev.turnout.model.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds fields the Kubernetes schema does not have. fabric8's model keeps unknown fields in
 * {@code additionalProperties} instead of failing, so we walk the typed object and report each one
 * with its path, as kube-apiserver's strict field validation does ({@code spec.ports[0].prot}).
 */
final class UnknownFields {
    private UnknownFields() {
    }

    static List<String> of(Object root) {
        List<String> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Object obj, String path, List<String> out) {
        if (obj == null) {
            return;
        }
        if (obj instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", out);
            }
            return;
        }
        if (!(obj instanceof KubernetesResource)) {
            return;
        }
        for (Class<?> c = obj.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                Object value = read(f, obj);
                if (value == null) {
                    continue;
                }
                if ("additionalProperties".equals(f.getName()) && value instanceof Map<?, ?> extra) {
                    for (Object key : extra.keySet()) {
                        out.add(join(path, String.valueOf(key)));
                    }
                    continue;
                }
                JsonProperty prop = f.getAnnotation(JsonProperty.class);
                String name = prop != null && !prop.value().isEmpty() ? prop.value() : f.getName();
                if (value instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> walk(v, join(path, name) + "[" + k + "]", out));
                } else {
                    walk(value, join(path, name), out);
                }
            }
        }
    }

    private static Object read(Field f, Object obj) {
        try {
            f.setAccessible(true);
            return f.get(obj);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
