package dev.berth.proxy;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP exchange written byte for byte on a fresh connection to 127.0.0.1 and read to EOF: for
 * what an HTTP client library would not send (pipelining, HTTP/1.0, bad framing, HTTP/2 prefaces) or
 * would hide (hop-by-hop headers, the reason phrase). The request must end the connection
 * (Connection: close, or HTTP/1.0), else the read waits for the 10 s socket timeout.
 */
final class RawHttp {
    private RawHttp() {}

    static String exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static String exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The status line and headers, without the blank line that ends them. */
    static String head(String response) {
        return response.substring(0, response.indexOf("\r\n\r\n"));
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
