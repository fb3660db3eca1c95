package dev.tempora.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The registry that rebuilds a {@link ForecastingModel} from what {@code model.json} records: its
 * {@linkplain ForecastingModel#kind() kind} and its {@linkplain ForecastingModel#configJson() config}.
 * The Temporal Fusion Transformer, {@link NLinear}, {@link DLinear}, {@link NHits} and {@link GradientBoostedTrees} are registered from the
 * start; another model registers its factory once, before its checkpoints are loaded.
 */
public final class ModelKinds {

    private static final Map<String, Function<Map<String, Object>, ForecastingModel>> FACTORIES = new LinkedHashMap<>();

    static {
        register(TemporalFusionTransformer.KIND, config -> new TemporalFusionTransformer(TftConfig.fromJson(config)));
        register(NLinear.KIND, NLinear::fromConfigJson);
        register(DLinear.KIND, DLinear::fromConfigJson);
        register(NHits.KIND, config -> new NHits(NHitsConfig.fromJson(config)));
        register(GradientBoostedTrees.KIND, GradientBoostedTrees::fromConfigJson);
    }

    private ModelKinds() {}

    /**
     * Registers how to rebuild models of {@code kind}.
     *
     * @param kind       the kind, as the models' {@link ForecastingModel#kind()} returns it
     * @param fromConfig makes a freshly initialised model from what its {@link ForecastingModel#configJson()}
     *                   returned; throws {@link IllegalArgumentException} for a config it cannot read
     * @throws IllegalArgumentException if {@code kind} is blank or already registered
     */
    public static synchronized void register(String kind, Function<Map<String, Object>, ForecastingModel> fromConfig) {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("a model kind needs a name, got '" + kind + "'");
        }
        if (FACTORIES.containsKey(kind)) {
            throw new IllegalArgumentException("model kind '" + kind + "' is already registered");
        }
        FACTORIES.put(kind, Objects.requireNonNull(fromConfig, "fromConfig"));
    }

    /**
     * The registered kinds, in registration order.
     *
     * @return a snapshot of the kinds
     */
    public static synchronized List<String> kinds() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * A freshly initialised model of {@code kind} built from {@code config}.
     *
     * @param kind   a registered kind
     * @param config the model's {@link ForecastingModel#configJson()}, as read back from JSON
     * @return the model, in training mode, with its initial weights
     * @throws IllegalArgumentException for an unknown kind (naming the known ones) or a config the kind's
     *                                  factory cannot read
     */
    public static ForecastingModel create(String kind, Map<String, Object> config) {
        Function<Map<String, Object>, ForecastingModel> factory;
        synchronized (ModelKinds.class) {
            factory = FACTORIES.get(kind);
            if (factory == null) {
                throw new IllegalArgumentException("unknown model kind '" + kind + "'; known kinds: "
                        + String.join(", ", FACTORIES.keySet())
                        + " (a model of another kind must be registered with ModelKinds.register before it is loaded)");
            }
        }
        ForecastingModel model = factory.apply(config);
        if (!kind.equals(model.kind())) {
            throw new IllegalStateException("the factory registered for model kind '" + kind + "' made a model of kind '"
                    + model.kind() + "'");
        }
        return model;
    }
}
