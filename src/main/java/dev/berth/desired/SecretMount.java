package dev.berth.desired;

/** A secret file from the secrets directory, mounted read-only at {@code target}. Never in env. */
public record SecretMount(String name, String target) {}
