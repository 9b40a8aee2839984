package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.ConfigMount;
import dev.berth.desired.DesiredState;
import dev.berth.desired.ResolvedService;
import dev.berth.desired.SecretMount;
import dev.berth.desired.ServiceSpec;
import dev.berth.manifest.LoadResult;
import dev.berth.manifest.ManifestLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real manifests, read by the real loader, as the input of the Swarm translation: a table row
 * states a manifest field as a user writes it, so a row fails when the loader's meaning of the
 * field and the Swarm mapping part ways. Files are written to {@code root/manifests}, secrets to
 * {@code root/secrets}.
 */
final class SwarmFixture {
    static final String PROJECT = "berth";
    static final String IMAGE_REF = "localhost:5000/shop/web@sha256:" + "ab".repeat(32);
    static final String SPEC_HASH = "0123456789abcdef";
    static final int REVISION = 7;

    final Path dir;
    final Path secrets;
    /** The loader of the last {@link #load}: its locator places problems at lines. */
    ManifestLoader loader;

    SwarmFixture(Path root) {
        try {
            dir = Files.createDirectories(root.resolve("manifests"));
            secrets = Files.createDirectories(root.resolve("secrets"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Service manifest named {@code name}; each line of {@code extra} is a spec field, indented by two. */
    static String service(String name, String extra) {
        return "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: " + name + ", labels: {team: shop}}\nspec:\n"
                + "  image: localhost:5000/shop/web:1.4.2\n" + extra;
    }

    SwarmFixture write(String file, String content) {
        try {
            Path p = dir.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SwarmFixture secret(String name, String content) {
        try {
            Files.writeString(secrets.resolve(name), content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the directory; a manifest the loader refuses fails the test, it is no Swarm row. */
    DesiredState load() {
        loader = new ManifestLoader(dir, secrets);
        LoadResult r = loader.load();
        assertThat(r.problems()).as("the manifests load").isEmpty();
        return r.desired();
    }

    /** The target of service {@code name}, its files named as a backend would name their objects. */
    SwarmTarget target(DesiredState desired, String name) {
        ServiceSpec spec = desired.services().get(name);
        ResolvedService resolved = new ResolvedService(spec, IMAGE_REF, "sha256:" + "cd".repeat(32), null, List.of(),
                SPEC_HASH, REVISION);
        return new SwarmTarget(PROJECT, resolved, desired.volumes(), BackoffPolicy.DEFAULT, objects(spec));
    }

    private FileObjects objects(ServiceSpec spec) {
        try {
            Map<String, String> secretObjects = new LinkedHashMap<>();
            for (SecretMount s : spec.secrets()) {
                secretObjects.put(s.name(), SwarmNames.object(PROJECT, s.name(), Files.readAllBytes(secrets.resolve(s.name()))));
            }
            Map<Path, String> configObjects = new LinkedHashMap<>();
            for (ConfigMount c : spec.configs()) {
                configObjects.put(c.source(), SwarmNames.object(PROJECT, SwarmNames.configName(c.source()), Files.readAllBytes(c.source())));
            }
            return new FileObjects(secretObjects, configObjects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Swarm spec of service {@code web} declared by {@code extra} in web.yaml. */
    com.github.dockerjava.api.model.ServiceSpec web(String extra) {
        write("web.yaml", service("web", extra));
        return SwarmService.of(target(load(), "web"));
    }
}
