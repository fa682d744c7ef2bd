package dev.vtrecycler.agent.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DumpMonitorsTest {
    /** Cut from a real JDK 25 dump: a virtual and a platform thread each BLOCKED on the monitor the other holds. */
    static final String DUMP = """
            {
              "threadDump": {
                "processId": "13633",
                "threadContainers": [
                  {
                    "container": "<root>",
                    "parent": null,
                    "owner": null,
                    "threads": [
                      {
                        "tid": "21",
                        "name": "pM",
                        "state": "BLOCKED",
                        "blockedOn": "java.lang.Object@ba2f4ec",
                        "stack": [
                          "Dl.lambda$main$3(Dl.java:13)",
                          "java.base\\/java.lang.Thread.run(Thread.java:1474)"
                        ],
                        "monitorsOwned": [ { "depth": 0, "locks": [ "java.lang.Object@2d1ef81a" ] } ]
                      },
                      {
                        "tid": "27",
                        "virtual": true,
                        "name": "vM \\"quoted\\"",
                        "state": "BLOCKED",
                        "blockedOn": "java.lang.Object@2d1ef81a",
                        "stack": [ "Dl.lambda$main$2(Dl.java:12)" ],
                        "monitorsOwned": [ { "depth": 0, "locks": [ "java.lang.Object@ba2f4ec", null ] } ]
                      },
                      {
                        "tid": "30",
                        "virtual": true,
                        "name": "bystander",
                        "state": "BLOCKED",
                        "blockedOn": "java.lang.Object@ffff",
                        "stack": [ ]
                      },
                      {
                        "tid": "31",
                        "name": "waiting",
                        "state": "WAITING",
                        "waitingOn": "java.lang.Object@2d1ef81a",
                        "stack": [ ]
                      }
                    ],
                    "threadCount": "4"
                  }
                ]
              }
            }
            """;

    @Test
    void edgesJoinBlockedOnToTheOwnerOfTheSameObject() {
        List<LockGraph.Edge> edges = DumpMonitors.edges(DUMP);
        assertThat(edges).containsExactly(
                new LockGraph.Edge(new LockGraph.Node(21, "pM", false), "java.lang.Object@ba2f4ec", 27),
                new LockGraph.Edge(new LockGraph.Node(27, "vM \"quoted\"", true), "java.lang.Object@2d1ef81a", 21));
        assertThat(LockGraph.cycles(edges)).hasSize(1);
    }

    static Stream<Arguments> json() {
        return Stream.of(
                Arguments.of("{}", "{}"),
                Arguments.of("[1, -2.5e3, true, false, null]", "[1, -2.5e3, true, false, null]"),
                Arguments.of("{\"a\\\\\\/b\": \"x\\u0041\\n\"}", "{a\\/b=xA\n}"),
                Arguments.of("  { \"k\" : [ { } , [ ] ] }  ", "{k=[{}, []]}"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("json")
    void parsesJson(String json, String expected) {
        assertThat(String.valueOf(Json.parse(json))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {"{", "[1,]", "{\"a\" 1}", "\"open", "tru", "{} x", "\"\\q\""})
    void rejectsWhatIsNotJson(String json) {
        assertThatThrownBy(() -> Json.parse(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quotesForJson() {
        assertThat(Json.quote("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
        assertThat(Json.parse(Json.quote("a\"b\\c\n\u0001"))).isEqualTo("a\"b\\c\n\u0001");
        assertThat(Json.parse("{\"x\": 1}")).isEqualTo(Map.of("x", "1"));
    }
}
