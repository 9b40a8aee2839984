package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePinsTest {

    /** A valid path component of an image reference, as the engine's reference parser wants it. */
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "berth, berth",
        "it1a2b3c4d, it1a2b3c4d",
        "shop-prod, shop-prod",
        "shop.prod, shop.prod",
        "a__b, a__b",
        // not valid as they are: lower-cased, other characters as '-', plus a hash of the original
        "Shop, shop-",
        "shop_, shop-",
        "-x-, x-",
        "a b, a-b-",
        "***, p-",
    })
    void projectNamesBecomeValidReferenceComponents(String project, String expectedStart) {
        String c = ImagePins.component(project);
        assertThat(c).matches(COMPONENT).startsWith(expectedStart);
        if (!project.equals(expectedStart)) {
            assertThat(c).isNotEqualTo(project);
        }
    }

    @ParameterizedTest
    @CsvSource({"Shop, shop", "A.B, a-b"})
    void projectsThatDifferOnlyInCaseNeverShareAPin(String a, String b) {
        assertThat(ImagePins.component(a)).isNotEqualTo(ImagePins.component(b));
    }
}
