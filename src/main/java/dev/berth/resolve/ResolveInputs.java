package dev.berth.resolve;

/**
 * What the resolver needs from Berth's memory to resolve one service, read by the caller (the
 * reconcile pass) from the state store: the resolver itself never reaches into the store.
 *
 * @param salt              the key of secret digests ({@link SpecHash#hmac}); the same for every
 *                          service and for the life of the state directory
 * @param restartGeneration bumped by each rolling restart of the service; part of the hash once
 *                          non-zero, so a restart makes a new revision
 */
public record ResolveInputs(byte[] salt, int restartGeneration) {
    public ResolveInputs {
        salt = salt.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }
}
