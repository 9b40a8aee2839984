package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A parse is reused only while nothing it read changed: one row per kind of file a parse looks
 * at besides the manifest itself. Each row loads, changes one file on disk (the manifest text
 * stays the same), loads again and expects a new parse that sees the change. Without the file
 * noted by {@link FileLooks}, the second load would answer the stale first result.
 */
class ParseCacheTest extends ManifestDirTest {
    Path secrets;

    @BeforeEach
    void setUp() {
        secrets = root.resolve("secrets");
    }

    interface Change {
        void apply(ParseCacheTest t) throws IOException;
    }

    record Row(String name, Map<String, String> files, Change change, Predicate<LoadResult> before,
            Predicate<LoadResult> after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String WEB = service("web", "app:v1", "");

    static Predicate<LoadResult> env(String key, String value) {
        return r -> r.problems().isEmpty() && value.equals(web(r).env().get(key));
    }

    static Predicate<LoadResult> image(String image) {
        return r -> r.problems().isEmpty() && image.equals(web(r).image());
    }

    static Predicate<LoadResult> refused(String words) {
        return r -> r.problems().stream().anyMatch(p -> p.message().contains(words));
    }

    static final Predicate<LoadResult> ACCEPTED = r -> r.problems().isEmpty() && r.desired().services().containsKey("web");

    static ServiceSpec web(LoadResult r) {
        return r.desired().services().get("web");
    }

    static Stream<Row> rows() {
        String compose = "services:\n  web:\n    image: app:${TAG}\n";
        return Stream.of(
                new Row("env file rewritten", Map.of("web.yaml", WEB + "  envFiles: [web.env]\n", "web.env", "A=1\n"),
                        t -> t.write("web.env", "A=2\n"), env("A", "1"), env("A", "2")),
                new Row("env file removed", Map.of("web.yaml", WEB + "  envFiles: [web.env]\n", "web.env", "A=1\n"),
                        t -> Files.delete(t.dir.resolve("web.env")), env("A", "1"), refused("env file")),
                new Row("env file made a link to another", Map.of("web.yaml", WEB + "  envFiles: [web.env]\n",
                        "web.env", "A=1\n", "other.env", "A=3\n"),
                        t -> {
                            Files.delete(t.dir.resolve("web.env"));
                            Files.createSymbolicLink(t.dir.resolve("web.env"), t.dir.resolve("other.env"));
                        }, env("A", "1"), env("A", "3")),
                new Row("secret appears", Map.of("web.yaml", WEB + "  secrets: [{name: db-pass}]\n"),
                        t -> Files.writeString(t.secrets.resolve("db-pass"), "s3cret"), refused("not found"), ACCEPTED),
                new Row("config file removed", Map.of("web.yaml", WEB + "  configs: [{source: web.conf, target: /etc/web.conf}]\n",
                        "web.conf", "x"),
                        t -> Files.delete(t.dir.resolve("web.conf")), ACCEPTED, refused("does not exist")),
                new Row("bind source appears", Map.of("web.yaml", WEB + "  volumes: [{source: ./html, target: /srv}]\n"),
                        t -> Files.createDirectories(t.dir.resolve("html")), refused("does not exist"), ACCEPTED),
                new Row("compose .env changed", Map.of("compose.yaml", compose, ".env", "TAG=v1\n"),
                        t -> t.write(".env", "TAG=v2\n"), image("app:v1"), image("app:v2")),
                new Row("compose override added", Map.of("compose.yaml", compose, ".env", "TAG=v1\n"),
                        t -> t.write("compose.override.yaml", "services:\n  web:\n    image: app:v9\n"),
                        image("app:v1"), image("app:v9")),
                new Row("compose override removed", Map.of("compose.yaml", compose, ".env", "TAG=v1\n",
                        "compose.override.yaml", "services:\n  web:\n    image: app:v9\n"),
                        t -> Files.delete(t.dir.resolve("compose.override.yaml")), image("app:v9"), image("app:v1")),
                new Row("optional compose env_file appears", Map.of("compose.yaml",
                        "services:\n  web:\n    image: app:v1\n    env_file: [{path: extra.env, required: false}]\n"),
                        t -> t.write("extra.env", "B=7\n"), r -> web(r).env().get("B") == null, env("B", "7")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aChangeToAnyFileTheParseReadIsSeen(Row row) throws IOException {
        for (Map.Entry<String, String> f : row.files().entrySet()) {
            write(f.getKey(), f.getValue());
        }
        LoadResult first = loader.load();
        assertThat(row.before().test(first)).as("before the change: %s", first.problems()).isTrue();
        LoadResult same = loader.load();
        long parses = loader.parses();
        assertThat(row.before().test(same)).isTrue();

        row.change().apply(this);
        LoadResult after = loader.load();
        assertThat(loader.parses()).as("parsed again").isGreaterThan(parses);
        assertThat(row.after().test(after)).as("after the change: %s", after.problems()).isTrue();
    }

    @Test
    void anUnchangedDirectoryIsNotParsedAgain() throws IOException {
        write("web.yaml", WEB + "  envFiles: [web.env]\n");
        write("web.env", "A=1\n");
        write("api.yaml", service("api", "app:v1", ""));
        LoadResult first = loader.load();
        long parses = loader.parses();
        LoadResult second = loader.load();
        assertThat(loader.parses()).isEqualTo(parses);
        // Not even put together again: the very same desired state.
        assertThat(second.desired()).isSameAs(first.desired());
        assertThat(web(second)).isSameAs(web(first));
    }

    @Test
    void aFileThatAppearsBesideUnchangedOnesIsAssembledWithThem() throws IOException {
        write("web.yaml", WEB);
        LoadResult first = loader.load();
        assertThat(loader.load().desired()).isSameAs(first.desired());
        write("api.yaml", service("api", "app:v1", ""));
        assertThat(loader.load().desired().services()).containsOnlyKeys("web", "api");
        Files.delete(dir.resolve("api.yaml"));
        assertThat(loader.load().desired().services()).containsOnlyKeys("web");
    }

    @Test
    void aRefusedFileIsNotParsedAgainUntilItChanges() throws IOException {
        write("web.yaml", WEB + "  replicas: many\n");
        assertThat(loader.load().problems()).isNotEmpty();
        long parses = loader.parses();
        assertThat(loader.load().problems()).isNotEmpty();
        assertThat(loader.parses()).isEqualTo(parses);
        write("web.yaml", WEB + "  replicas: 2\n");
        assertThat(web(loader.load()).replicas()).isEqualTo(2);
    }

    @Test
    void anEntryIsParsedAgainAfterItsMaximumAgeEvenWhenNothingShowsAChange() throws Exception {
        write("web.yaml", WEB);
        MovingClock clock = new MovingClock();
        ParseCache cache = new ParseCache(new ManifestParser(secrets, dir, HostAccessPolicy.defaults(secrets)), clock);
        Path p = dir.resolve("web.yaml");
        ManifestFile first = cache.parse("web.yaml", p, WEB);
        clock.now = clock.now.plus(ParseCache.MAX_AGE.minusSeconds(1));
        assertThat(cache.parse("web.yaml", p, WEB)).isSameAs(first);
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertThat(cache.parse("web.yaml", p, WEB)).isNotSameAs(first);
        assertThat(cache.parses()).isEqualTo(2);
    }

    @Test
    void aFileThatLeftTheDirectoryIsForgotten() throws IOException {
        write("web.yaml", WEB);
        loader.load();
        Files.delete(dir.resolve("web.yaml"));
        assertThat(loader.load().desired().services()).isEmpty();
        write("web.yaml", WEB);
        long parses = loader.parses();
        assertThat(loader.load().desired().services()).containsKey("web");
        assertThat(loader.parses()).isEqualTo(parses + 1);
    }

    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-03T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
