package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;

/** One HTTP answer of the daemon, read whole. */
record Answer(int status, HttpHeaders headers, String body) {

    JsonNode json() {
        return Json.parse(body);
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }
}
