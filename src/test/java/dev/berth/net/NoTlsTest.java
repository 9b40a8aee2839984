package dev.berth.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class NoTlsTest {

    @Test
    void anyUseOfTheContextFailsWithWhy() {
        var ctx = NoTls.context();
        assertThatThrownBy(ctx::createSSLEngine).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("speaks no TLS");
        assertThatThrownBy(ctx::getSocketFactory).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aPlainHttpClientWithItStillSpeaksHttpAndRefusesHttps() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
        try {
            HttpClient http = NoTls.plainHttp().build();
            URI plain = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertThat(http.send(HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(204);
            URI tls = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(tls).build(), HttpResponse.BodyHandlers.discarding()))
                    .hasStackTraceContaining("speaks no TLS");
        } finally {
            server.stop(0);
        }
    }
}
