package dev.tempora.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sub-modules by name, in insertion order (torch.nn.ModuleDict); names appear in parameter paths. */
public final class ModuleDict<M extends Module> extends Module {

    private final Map<String, M> entries = new LinkedHashMap<>();

    /** An empty dictionary. */
    public ModuleDict() {}

    /** Adds {@code m} under {@code name} (which its parameters' paths then include) and returns it. */
    public M put(String name, M m) {
        entries.put(name, module(name, m));
        return m;
    }

    /** The sub-module named {@code name}, or null. */
    public M get(String name) {
        return entries.get(name);
    }

    /** Whether there is a sub-module named {@code name}. */
    public boolean containsKey(String name) {
        return entries.containsKey(name);
    }

    /** The sub-modules by name, in insertion order (unmodifiable). */
    public Map<String, M> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** The number of sub-modules. */
    public int size() {
        return entries.size();
    }

    @Override
    protected String describe() {
        return "ModuleDict(" + entries.size() + ")";
    }
}
