package dev.tempora.models;

import java.util.List;
import java.util.Map;

/** The two reference set-ups of the issue, as PTF's from_dataset lays their variables out. */
final class TftConfigs {

    private TftConfigs() {}

    /** The seed's taxi set-up: 260 zones, hour-of-week, hidden 20, 8 heads, hidden_continuous 4. */
    static TftConfig taxiSeed(int zones, float dropout) {
        List<String> staticReals = List.of("encoder_length", "trip_quantity_center", "trip_quantity_scale");
        List<String> known = List.of("time_idx", "relative_time_idx");
        return new TftConfig(20, 8, dropout, 4, Map.of(), 1, TftConfig.DEFAULT_QUANTILES,
                List.of("pulocationid"), staticReals,
                List.of("day_hour"), List.of("day_hour"),
                List.of("time_idx", "relative_time_idx", "trip_quantity"), known,
                List.of("pulocationid", "day_hour"),
                List.of("encoder_length", "trip_quantity_center", "trip_quantity_scale", "time_idx", "relative_time_idx", "trip_quantity"),
                Map.of("pulocationid", zones, "day_hour", 168), Map.of(), Map.of(), true, "softplus", 42);
    }

    /** PTF's stallion tutorial: hidden 16, 2 heads, hidden_continuous 8. */
    static TftConfig stallion() {
        List<String> holidays = List.of("easter_day", "good_friday", "new_year", "christmas", "labor_day",
                "independence_day", "revolution_day_memorial", "regional_games", "fifa_u_17_world_cup",
                "football_gold_cup", "beer_capital", "music_fest");
        List<String> staticReals = List.of("avg_population_2017", "avg_yearly_household_income_2017",
                "encoder_length", "volume_center", "volume_scale");
        List<String> knownReals = List.of("time_idx", "price_regular", "discount_in_percent", "relative_time_idx");
        List<String> unknownReals = List.of("volume", "log_volume", "industry_volume", "soda_volume", "avg_max_temp",
                "avg_volume_by_agency", "avg_volume_by_sku");
        List<String> encoderReals = new java.util.ArrayList<>(knownReals);
        encoderReals.addAll(unknownReals);
        List<String> xCats = new java.util.ArrayList<>(List.of("agency", "sku"));
        xCats.addAll(holidays);
        xCats.add("month");
        List<String> xReals = new java.util.ArrayList<>(staticReals);
        xReals.addAll(encoderReals);
        return new TftConfig(16, 2, 0.1f, 8, Map.of(), 1, TftConfig.DEFAULT_QUANTILES,
                List.of("agency", "sku"), staticReals,
                List.of("special_days", "month"), List.of("special_days", "month"),
                encoderReals, knownReals, xCats, xReals,
                Map.of("agency", 58, "sku", 25, "special_days", 11, "month", 12), // 11: the classes that occur
                Map.of("special_days", holidays), Map.of(), true, "softplus", 42);
    }
}
