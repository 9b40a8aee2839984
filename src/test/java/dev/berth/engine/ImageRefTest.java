package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {
    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "busybox,busybox,latest,null",
            "busybox:1.36,busybox,1.36,null",
            "localhost:5000/shop/web:1.4.2,localhost:5000/shop/web,1.4.2,null",
            "localhost:5000/shop/web,localhost:5000/shop/web,latest,null",
            "localhost:5000/web@sha256:abc,localhost:5000/web,null,sha256:abc",
            "web:1@sha256:abc,web,1,sha256:abc"})
    void splitsRepositoryTagAndDigest(String ref, String repo, String tag, String digest) {
        assertThat(ImageRef.parse(ref)).isEqualTo(new ImageRef(repo, tag, digest));
    }
}
