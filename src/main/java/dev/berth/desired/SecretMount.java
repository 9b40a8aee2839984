package dev.berth.desired;

/**
 * A secret file from the secrets directory, mounted read-only at {@code target}. Never in env.
 * {@code uid}, {@code gid} and {@code mode} are the file's owner and permission bits inside the
 * container, as in Swarm's long syntax; the defaults (0, 0, 0444) are Swarm's too.
 */
public record SecretMount(String name, String target, int uid, int gid, int mode) {
    public static final int DEFAULT_MODE = 0444;

    public SecretMount(String name, String target) {
        this(name, target, 0, 0, DEFAULT_MODE);
    }

    /** True when owner or mode differ from the defaults (then they are part of the spec hash). */
    public boolean customised() {
        return uid != 0 || gid != 0 || mode != DEFAULT_MODE;
    }
}
