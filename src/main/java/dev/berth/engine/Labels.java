package dev.berth.engine;

/**
 * The labels that mark an engine object as Berth's. Berth never touches an object that lacks
 * {@link #MANAGED} and the {@link #PROJECT} it runs as.
 */
public final class Labels {
    public static final String MANAGED = "dev.berth.managed";
    public static final String PROJECT = "dev.berth.project";
    public static final String SERVICE = "dev.berth.service";
    public static final String REVISION = "dev.berth.revision";
    public static final String SPEC_HASH = "dev.berth.spec-hash";
    public static final String ORDINAL = "dev.berth.ordinal";
    public static final String SOURCE = "dev.berth.source";
    public static final String IMAGE = "dev.berth.image";
    public static final String NAME = "dev.berth.name";
    /** On a Swarm service Swarm rolled back: the template hash it was rolled back from (held until the manifest changes). */
    public static final String ROLLED_BACK_FROM = "dev.berth.rolled-back-from";
    /** With {@link #ROLLED_BACK_FROM}: that template's revision, so the next one gets a number past it. */
    public static final String ROLLED_BACK_REVISION = "dev.berth.rolled-back-revision";

    /**
     * Swarm backend, on each service Berth writes: the spec fields the manager was seen not to
     * keep (comma-separated), so a Berth started later, on this manager or another, does not
     * write every service once more to learn them again.
     */
    public static final String UNKEPT = "dev.berth.unkept";
    /**
     * Swarm backend, on a config object: the service (by its manifest name) whose task template
     * at a revision the object keeps, so a rollback can return to any kept revision, not only to
     * the one previous spec Swarm keeps.
     */
    public static final String TEMPLATE_OF = "dev.berth.template-of";
    /** On containers: the name Berth created it under, so a rename by hand shows as drift. */
    public static final String CONTAINER_NAME = "dev.berth.container-name";

    private Labels() {}
}
