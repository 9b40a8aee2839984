package dev.berth.plan;

import dev.berth.desired.ServiceSpec;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dry run's comparison: what changes between the services the daemon has loaded and the ones
 * a manifest would declare. Pure. Every field of {@link ServiceSpec} takes part except its name
 * and the file it came from (moving a declaration between files changes nothing that runs), so
 * a field added to the spec is compared without touching this class. Maps are compared key by
 * key ({@code env.FOO}), nested records field by field ({@code update.maxSurge}), lists whole.
 */
public final class SpecDiff {
    private static final Set<String> IGNORED = Set.of("name", "source");

    private SpecDiff() {}

    /**
     * @param before the services as loaded now that the manifest concerns (those it declared before,
     *               and any of the same names)
     * @param after  the services the manifest would declare
     * @return one entry per service of either, sorted by name; a service only in {@code before} is removed
     */
    public static List<ServiceChange> of(Map<String, ServiceSpec> before, Map<String, ServiceSpec> after) {
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<ServiceChange> out = new ArrayList<>();
        for (String n : names) {
            out.add(change(n, before.get(n), after.get(n)));
        }
        return out;
    }

    /**
     * What a manifest file is compared with: of the services loaded now, those of the same names as
     * it declares and those it declared before (by source), which it removes if it no longer does.
     *
     * @param source the file's path relative to the manifests directory, or null for a new file
     */
    public static Map<String, ServiceSpec> concerned(Map<String, ServiceSpec> loaded, String source,
            Map<String, ServiceSpec> after) {
        Map<String, ServiceSpec> out = new java.util.TreeMap<>();
        loaded.forEach((name, s) -> {
            if (after.containsKey(name) || (source != null && source.equals(s.source()))) {
                out.put(name, s);
            }
        });
        return out;
    }

    static ServiceChange change(String name, ServiceSpec old, ServiceSpec now) {
        if (old == null) {
            return new ServiceChange(name, ServiceChange.Action.CREATE, List.of(), new ServiceChange.Replicas(0, now.replicas()));
        }
        if (now == null) {
            return new ServiceChange(name, ServiceChange.Action.REMOVE, List.of(), new ServiceChange.Replicas(old.replicas(), 0));
        }
        List<String> changes = fields(old, now);
        ServiceChange.Replicas replicas = old.replicas() == now.replicas() ? null
                : new ServiceChange.Replicas(old.replicas(), now.replicas());
        ServiceChange.Action action = changes.isEmpty() ? ServiceChange.Action.UNCHANGED
                : changes.equals(List.of("replicas")) ? ServiceChange.Action.SCALE : ServiceChange.Action.UPDATE;
        return new ServiceChange(name, action, changes, replicas);
    }

    /** The names of the fields that differ, in the spec's field order. */
    static List<String> fields(ServiceSpec old, ServiceSpec now) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : ServiceSpec.class.getRecordComponents()) {
            if (!IGNORED.contains(c.getName())) {
                compare(c.getName(), get(c, old), get(c, now), true, out);
            }
        }
        return out;
    }

    private static void compare(String field, Object a, Object b, boolean descend, List<String> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            // The spec's maps (env, labels) are keyed by text.
            Set<Object> keys = new TreeSet<>(Comparator.comparing(String::valueOf));
            keys.addAll(x.keySet());
            keys.addAll(y.keySet());
            keys.stream().filter(k -> !Objects.equals(x.get(k), y.get(k))).forEach(k -> out.add(field + "." + k));
            return;
        }
        if (descend && a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                compare(field + "." + c.getName(), get(c, a), get(c, b), false, out);
            }
            return;
        }
        out.add(field);
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }
}
