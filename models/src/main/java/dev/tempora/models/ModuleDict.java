package dev.tempora.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sub-modules by name, in insertion order (torch.nn.ModuleDict); names appear in parameter paths. */
public final class ModuleDict<M extends Module> extends Module {

    private final Map<String, M> entries = new LinkedHashMap<>();
    /** Which entry each member name was given to, to name both in a collision. */
    private final Map<String, String> owners = new LinkedHashMap<>();

    /**
     * Adds {@code m} under {@code name}; the member (parameter path) name is {@link #memberName(String)}.
     *
     * @param name the entry's name, e.g. a variable (any text)
     * @param m    the module
     * @return {@code m}
     * @throws IllegalArgumentException when two names map to the same member name
     */
    public M put(String name, M m) {
        String member = memberName(name);
        String owner = owners.putIfAbsent(member, name);
        if (owner != null) {
            throw new IllegalArgumentException("'" + owner + "' and '" + name + "' both become the parameter name '" + member
                    + "' (a '.' cannot appear in one); rename one of the columns");
        }
        entries.put(name, module(member, m));
        return m;
    }

    /**
     * The member name an entry gets in parameter paths: the name itself when it can be one (not empty, no
     * '.', so PTF's state-dict names are kept exactly), else the name with every character outside
     * [A-Za-z0-9_] replaced by '_' ({@code pm2.5} becomes {@code pm2_5}).
     *
     * @param name the entry's name
     * @return the member name
     */
    public static String memberName(String name) {
        if (!name.isEmpty() && name.indexOf('.') < 0) {
            return name;
        }
        String escaped = name.replaceAll("[^A-Za-z0-9_]", "_");
        return escaped.isEmpty() ? "_" : escaped;
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
