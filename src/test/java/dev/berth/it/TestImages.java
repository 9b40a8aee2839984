package dev.berth.it;

/** Images built by .ci/lib/images.sh (see .ci/test); registries started by .ci/lib/registry.sh. */
final class TestImages {
    static final String REGISTRY = env("BERTH_TEST_REGISTRY", "localhost:5000");
    static final String AUTH_REGISTRY = env("BERTH_TEST_AUTH_REGISTRY", "localhost:5001");
    static final String AUTH_USER = env("BERTH_TEST_AUTH_USER", "berth");
    static final String AUTH_PASSWORD = env("BERTH_TEST_AUTH_PASSWORD", "berth-test-pass");

    /** busybox httpd on 8080: / answers "v1", /cgi-bin/env prints the environment. */
    static final String APP_V1 = "berth-test/app:v1";
    static final String APP_V2 = "berth-test/app:v2";
    static final String BUSYBOX = "berth-test/busybox:latest";
    static final String REGISTRY_APP_V1 = REGISTRY + "/berth-test/app:v1";
    static final String PRIVATE_V1 = AUTH_REGISTRY + "/berth-test/private:v1";

    private TestImages() {}

    private static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isBlank() ? d : v;
    }
}
