package dev.berth.manifest.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compose's substitutions, row by row, with TAG=1.4, EMPTY= and UNSET not set. */
class InterpolationTest {
    static final Map<String, String> VARS = Map.of("TAG", "1.4", "EMPTY", "", "HOST", "db");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "web:${TAG}                | web:1.4",
        "web:$TAG                  | web:1.4",
        "$TAG-x                    | 1.4-x",
        "${UNSET}                  | ''",
        "${UNSET:-latest}          | latest",
        "${EMPTY:-latest}          | latest",
        "${EMPTY-latest}           | ''",
        "${UNSET-latest}           | latest",
        "${TAG:-latest}            | 1.4",
        "${TAG:+set}               | set",
        "${EMPTY:+set}             | ''",
        "${EMPTY+set}              | set",
        "${UNSET:-${HOST}:5432}    | db:5432",
        "$$HOME                    | $HOME",
        "price: $$5 and $$$$       | price: $5 and $$",
        "100$                      | 100$",
        "a $ b                     | a $ b",
        "${TAG:?needed}            | 1.4",
        "no dollars at all         | no dollars at all",
    })
    void substitutes(String in, String out) {
        assertThat(Interpolation.apply(in, VARS::get)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "${UNSET:?set UNSET in .env}  | variable UNSET is not set: set UNSET in .env",
        "${EMPTY:?}                   | variable EMPTY is empty",
        "${UNSET?}                    | variable UNSET is not set",
        "${TAG                        | '${TAG' has no closing '}' (write $$ for a literal $)",
        "${}                          | '${}' is not a variable name (write $$ for a literal $)",
        "${TAG/x}                     | '${TAG/x}' is not a substitution Compose knows (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR:+alt})",
    })
    void refuses(String in, String message) {
        assertThatThrownBy(() -> Interpolation.apply(in, VARS::get)).isInstanceOf(Interpolation.Failed.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "gunicorn app --bind 0.0.0.0:8000     | [gunicorn, app, --bind, 0.0.0.0:8000]",
        "sh -c 'echo a  b'                   | [sh, -c, echo a  b]",
        "echo \"x \\\"y\\\"\" z               | [echo, x \"y\", z]",
        "a\\ b   c                           | [a b, c]",
    })
    void splitsCommandsAsAShellWould(String in, String words) {
        assertThat(Words.split(in).toString()).isEqualTo(words);
    }
}
