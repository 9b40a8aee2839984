package dev.berth.reconcile;

import java.time.Instant;

/** One revision of a service as kept in the state directory. */
public record RevisionRecord(int revision, String specHash, String image, String imageDigest, Instant createdAt) {}
