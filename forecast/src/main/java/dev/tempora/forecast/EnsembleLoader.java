package dev.tempora.forecast;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads an {@link Ensemble} directory: every member its {@value Ensemble#FILE} lists, each a single model,
 * all with the same preprocessing (and so the same data set parameters and horizon) and the same quantiles,
 * so that one batch of windows means the same to each and their forecasts combine element by element.
 */
final class EnsembleLoader {

    private EnsembleLoader() {}

    static TrainedModel load(Path directory) {
        Ensemble.Spec spec = Ensemble.read(directory);
        List<String> notes = new ArrayList<>();
        List<TrainedModel> members = loadMembers(directory.resolve(Ensemble.FILE).toString(), spec.members(), notes);
        return TrainedModel.ensemble(directory, members, spec.combine(), notes);
    }

    /**
     * Loads every member and checks that each matches the first, as loading an ensemble does.
     *
     * @param file    what lists them, as errors name it (the {@value Ensemble#FILE}, or the ensemble to be written)
     * @param paths   the members' directories
     * @param notes   receives each member's load notes, prefixed with its directory's name
     * @throws IllegalArgumentException naming the member that is an ensemble, cannot be loaded or does not match
     */
    static List<TrainedModel> loadMembers(String file, List<Path> paths, List<String> notes) {
        List<TrainedModel> members = new ArrayList<>();
        for (Path member : paths) {
            if (Ensemble.isEnsemble(member)) {
                throw new IllegalArgumentException(file + ": member " + member + " is itself an ensemble; list its members instead");
            }
            TrainedModel loaded;
            try {
                loaded = TrainedModel.load(member);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new IllegalArgumentException(file + " lists member " + member + ", which cannot be loaded: " + e.getMessage()
                        + " (an ensemble needs every member it lists)", e);
            }
            if (!members.isEmpty()) {
                checkMatches(file, paths.getFirst(), members.getFirst(), member, loaded);
            }
            loaded.notes().forEach(note -> notes.add(member.getFileName() + ": " + note));
            members.add(loaded);
        }
        return members;
    }

    private static void checkMatches(String file, Path firstPath, TrainedModel first, Path memberPath, TrainedModel member) {
        if (!first.quantiles().equals(member.quantiles())) {
            throw new IllegalArgumentException(file + ": member " + memberPath + " forecasts the quantiles " + member.quantiles()
                    + ", member " + firstPath + " " + first.quantiles() + "; ensemble members must forecast the same quantiles");
        }
        if (!first.split().equals(member.split())) {
            throw new IllegalArgumentException(file + ": member " + memberPath + " was trained with the split "
                    + member.split().toJson() + ", member " + firstPath + " with " + first.split().toJson()
                    + "; ensemble members must hold out the same test");
        }
        String difference = firstDifference(first.preprocessing().toJson(), member.preprocessing().toJson(), "");
        if (difference != null) {
            throw new IllegalArgumentException(file + ": member " + memberPath + " prepares data differently from member "
                    + firstPath + " (" + difference + "); ensemble members must be trained on the same data with the same "
                    + "data set parameters");
        }
    }

    /** The first key whose values differ, as "key: a vs b" (nested maps as a.b), or null when the maps are equal. */
    static String firstDifference(Map<String, Object> a, Map<String, Object> b, String prefix) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            Object x = a.get(key);
            Object y = b.get(key);
            if (Objects.equals(x, y)) {
                continue;
            }
            if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my) {
                @SuppressWarnings("unchecked")
                String nested = firstDifference((Map<String, Object>) mx, (Map<String, Object>) my, prefix + key + ".");
                if (nested != null) {
                    return nested;
                }
            }
            return prefix + key + ": " + abbreviate(x) + " vs " + abbreviate(y);
        }
        return null;
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
