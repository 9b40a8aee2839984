package dev.berth.engine;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Keeps the image of every kept revision on the host, so that {@code docker image prune} or a
 * {@code docker rmi} of a retagged tag cannot take away what a rollback needs: one tag per kept
 * revision, {@code berth-pin/<project>/<service>:r<revision>}.
 *
 * <p>Level-triggered, like a pass: {@link #sync} makes the engine's pin tags of this project
 * equal to the wanted set (tags what is missing, moves a tag that names another image, removes
 * what is no longer wanted). It remembers the set it last applied and does nothing while the
 * wanted set stays the same, so a pass with nothing to do costs no engine call. Removing a pin
 * untags only ({@code noprune}, never forced): the image goes only if nothing else names it and
 * no container uses it. A pin that is the last name of an image a container still uses (the
 * engine refuses that untag) is tried again {@link #RECHECK} later.
 * Failures are logged and never fail the pass: a pin is a safety net, not a precondition, and
 * passes hand their set to {@link #syncSoon}, which tags on a thread of its own.
 */
public final class ImagePins {
    private static final Logger LOG = Logger.getLogger(ImagePins.class);
    /**
     * First path component of every pin: a name no one gives their own images. It has no
     * registry host and is never pushed or pulled; it only holds the image on the host.
     */
    public static final String ROOT = "berth-pin";
    /** A path component of an image reference (distribution's reference grammar). */
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    /** How long a pin the engine would not remove waits before the next try. */
    static final java.time.Duration RECHECK = java.time.Duration.ofSeconds(30);

    /** One kept revision whose image must stay. */
    public record Pin(String service, int revision, String imageId) {}

    private final DockerEngine engine;
    /** {@code berth-pin/<project>/} */
    private final String prefix;
    /** Tag → image ID as last applied; null when unknown (daemon start, after {@link #forget}). */
    private Map<String, String> applied;
    /** When to compare with the engine again although nothing changed; null: only on a change. */
    private java.time.Instant recheckAt;
    private final LatestOnly<List<Pin>> background;

    public ImagePins(DockerEngine engine) {
        this.engine = engine;
        this.background = new LatestOnly<>("berth-pins", this::sync);
        this.prefix = ROOT + "/" + component(engine.project()) + "/";
    }

    /** The pin of a revision, e.g. {@code berth-pin/shop/web:r3}. */
    public String reference(String service, int revision) {
        return prefix + service + ":r" + revision;
    }

    /**
     * A project name as a reference component: itself when valid, else lower-cased with other
     * characters as '-' plus a hash of the original, so "Shop" and "shop" never share pins.
     */
    static String component(String project) {
        if (COMPONENT.matcher(project).matches()) {
            return project;
        }
        String s = project.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String hash = Integer.toHexString(java.util.Arrays.hashCode(project.getBytes(StandardCharsets.UTF_8)));
        return (s.isEmpty() ? "p" : s) + "-" + hash;
    }

    /** Makes the next {@link #sync} compare with the engine again (e.g. after an image came back by a pull). */
    public synchronized void forget() {
        applied = null;
    }

    /**
     * {@link #sync} on the pins' own thread, soon, with the latest set handed; returns at once. A
     * pass hands its set here, so a first deployment's hundreds of tags hold no pass (they held
     * the one that dispatches the creates for a second and more).
     */
    public void syncSoon(Collection<Pin> wanted) {
        background.offer(List.copyOf(wanted));
    }

    /** Makes this project's pins on the engine exactly {@code wanted}. Idempotent; see the class comment. */
    public synchronized void sync(Collection<Pin> wanted) {
        Map<String, String> want = new HashMap<>();
        for (Pin p : wanted) {
            if (p.imageId() != null) {
                want.put(reference(p.service(), p.revision()), p.imageId());
            }
        }
        if (want.equals(applied) && (recheckAt == null || java.time.Instant.now().isBefore(recheckAt))) {
            return;
        }
        Map<String, String> have;
        try {
            have = existing();
        } catch (RuntimeException e) {
            LOG.warnf("cannot list image pins %s*: %s (trying again next pass)", prefix, DockerEngine.reason(e));
            return;
        }
        var docker = engine.client();
        boolean refused = false;
        want.forEach((ref, id) -> {
            if (id.equals(have.get(ref))) {
                return;
            }
            ImageRef r = ImageRef.parse(ref);
            try {
                docker.tagImageCmd(id, r.repository(), r.tag()).withForce().exec();
                LOG.debugf("pinned image %s as %s", id, ref);
            } catch (NotFoundException gone) {
                LOG.warnf("cannot pin image %s as %s: it is no longer on the host; a rollback to it pulls it by"
                        + " digest, if it has one", id, ref);
            } catch (RuntimeException e) {
                LOG.warnf("cannot pin image %s as %s: %s", id, ref, DockerEngine.reason(e));
            }
        });
        for (String ref : have.keySet()) {
            if (want.containsKey(ref)) {
                continue;
            }
            try {
                docker.removeImageCmd(ref).withNoPrune(true).withForce(false).exec();
                LOG.debugf("removed image pin %s", ref);
            } catch (NotFoundException gone) {
                // already gone: the goal is reached
            } catch (ConflictException inUse) {
                LOG.debugf("image pin %s stays for now: %s", ref, DockerEngine.reason(inUse));
                refused = true;
            } catch (RuntimeException e) {
                LOG.warnf("cannot remove image pin %s: %s", ref, DockerEngine.reason(e));
            }
        }
        applied = want;
        recheckAt = refused ? java.time.Instant.now().plus(RECHECK) : null;
    }

    /** This project's pins on the engine: tag → image ID. */
    private Map<String, String> existing() {
        Map<String, String> out = new HashMap<>();
        for (Image i : engine.client().listImagesCmd().withReferenceFilter(prefix + "*").exec()) {
            if (i.getRepoTags() == null) {
                continue;
            }
            for (String t : i.getRepoTags()) {
                if (t.startsWith(prefix)) {
                    out.put(t, i.getId());
                }
            }
        }
        return out;
    }
}
