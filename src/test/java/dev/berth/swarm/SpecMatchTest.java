package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What counts as a live spec still saying what Berth declared (single quotes stand for double). */
class SpecMatchTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode j(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            equal                                  | {'a':1,'b':'x'}              | {'a':1,'b':'x'}                          | -
            fields Swarm adds do not count         | {'a':1}                      | {'a':1,'ForceUpdate':0,'Runtime':'c'}     | -
            a changed value                        | {'a':{'b':'x'}}              | {'a':{'b':'y'}}                          | a.b
            a declared null is not Berth's         | {'a':null}                   | {'a':5}                                  | -
            declared empty list matches absent     | {'a':[]}                     | {}                                       | -
            declared empty object matches absent   | {'a':{}}                     | {}                                       | -
            declared 0 and false match absent      | {'a':0,'b':false,'c':''}     | {}                                       | -
            declared empty, filled by hand         | {'a':[]}                     | {'a':['x']}                              | a
            an element added to a list             | {'a':['x']}                  | {'a':['x','y']}                          | a
            lists compare in order                 | {'a':['x','y']}              | {'a':['y','x']}                          | a[0]
            a list element's field                 | {'n':[{'t':'1'},{'t':'2'}]}  | {'n':[{'t':'1'},{'t':'3','x':1}]}        | n[1].t
            numbers by value                       | {'a':1000000000}             | {'a':1.0E9}                              | -
            a declared value gone                  | {'a':{'b':'x'}}              | {'a':{}}                                 | a.b
            an object turned into text             | {'a':{'b':'x'}}              | {'a':'b'}                                | a
            """)
    void rows(String why, String declared, String live, String difference) throws Exception {
        assertThat(SpecMatch.firstDifference(j(declared), j(live)).orElse("-")).as(why).isEqualTo(difference);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an ignored field is not compared       | {'a':{'b':true},'c':1}       | {'a':{},'c':1}                           | -
            in every list element                  | {'n':[{'b':1},{'b':1}]}      | {'n':[{},{}]}                            | -
            the others still are                   | {'a':{'b':true},'c':1}       | {'a':{},'c':2}                           | c
            """)
    void ignoredFields(String why, String declared, String live, String difference) throws Exception {
        assertThat(SpecMatch.firstDifference(j(declared), j(live), Set.of("a.b", "n.b")).orElse("-")).as(why)
                .isEqualTo(difference);
    }
}
