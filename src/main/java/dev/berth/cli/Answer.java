package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** One HTTP answer of the daemon, read whole. */
record Answer(int status, String body) {

    JsonNode json() {
        return Json.parse(body);
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }
}
