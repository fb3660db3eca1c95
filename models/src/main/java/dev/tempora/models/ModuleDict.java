package dev.tempora.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sub-modules by name, in insertion order (torch.nn.ModuleDict); names appear in parameter paths. */
public final class ModuleDict<M extends Module> extends Module {

    private final Map<String, M> entries = new LinkedHashMap<>();

    public M put(String name, M m) {
        entries.put(name, module(name, m));
        return m;
    }

    public M get(String name) {
        return entries.get(name);
    }

    public boolean containsKey(String name) {
        return entries.containsKey(name);
    }

    public Map<String, M> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public int size() {
        return entries.size();
    }

    @Override
    protected String describe() {
        return "ModuleDict(" + entries.size() + ")";
    }
}
