package dev.berth.manifest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The last parse of each manifest file, reused while the file's text and every file the parse
 * looked at ({@link FileLooks}: env files, {@code .env}, the Compose override, configs,
 * secrets, bind sources, links) are as they were. Parsing, schema checks and binding are most
 * of an idle pass's cost, and almost every pass reads the same files again.
 *
 * <p>An entry is also dropped after {@link #MAX_AGE}, the safety net for what a file's stamp
 * cannot show: a directory link further up a path pointed elsewhere, or a file rewritten with
 * the same size within one tick of the file system's clock. Problems are cached as well as
 * results, so a broken file costs one parse until it changes. Not thread-safe: the loader's.
 */
final class ParseCache {
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private record Outcome(ManifestFile file, ManifestException refused) {}

    private record Entry(String text, FileLooks.Recorded<Outcome> parse, Instant at) {}

    private final ManifestParser parser;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private long parses;

    ParseCache(ManifestParser parser, Clock clock) {
        this.parser = parser;
        this.clock = clock;
    }

    /** As {@link ManifestParser#parse}, from the cache when nothing it depends on changed. */
    ManifestFile parse(String relative, Path path, String text) throws ManifestException {
        Instant now = clock.instant();
        Entry e = entries.get(relative);
        if (e == null || !e.text().equals(text) || !now.isBefore(e.at().plus(MAX_AGE)) || !e.parse().current()) {
            parses++;
            e = new Entry(text, FileLooks.recording(() -> {
                try {
                    return new Outcome(parser.parse(relative, path, text), null);
                } catch (ManifestException refused) {
                    return new Outcome(null, refused);
                }
            }), now);
            entries.put(relative, e);
        }
        Outcome o = e.parse().result();
        if (o.refused() != null) {
            throw o.refused();
        }
        return o.file();
    }

    /** Forgets files no longer in the directory. */
    void retain(Collection<String> present) {
        entries.keySet().retainAll(present);
    }

    /** Parses actually run (not answered from the cache) since this cache was made. */
    long parses() {
        return parses;
    }
}
