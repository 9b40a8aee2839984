package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.AfterEngineProject;
import dev.berth.testing.EngineProjects;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Optional TLS as docs/operations.md configures it: a PKCS#12 key store made at test time with
 * the JDK's keytool (no private key is checked in), {@code quarkus.tls.key-store.p12.*} and
 * {@code quarkus.http.insecure-requests=disabled}. HTTPS answers with that certificate, a client
 * that does not trust it is refused, and plain HTTP on the usual port is not served at all.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsIT.Certificate.class, restrictToAnnotatedClass = true)
@TestProfile(TlsIT.OwnApplication.class)
class TlsIT {
    /** An application of its own. */
    public static class OwnApplication implements QuarkusTestProfile {}

    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static final String TOKEN = "tls-token-" + UUID.randomUUID();
    static Path keyStore;
    static int httpsPort;
    static int httpPort;

    /** Makes a self-signed certificate for 127.0.0.1 and localhost, and an empty project for the daemon. */
    public static class Certificate implements AfterEngineProject {
        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory("berth-tls-it");
                keyStore = dir.resolve("berth.p12");
                Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
                Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "berth", "-keyalg", "EC",
                        "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                        "-storepass", PASSWORD).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor()).as(out).isZero();
                httpsPort = dev.berth.testing.Ports.free();
                httpPort = dev.berth.testing.Ports.free();
                Path manifests = Files.createDirectories(dir.resolve("manifests"));
                return Map.ofEntries(
                        Map.entry("quarkus.tls.key-store.p12.path", keyStore.toString()),
                        Map.entry("quarkus.tls.key-store.p12.password", PASSWORD),
                        Map.entry("quarkus.http.insecure-requests", "disabled"),
                        Map.entry("quarkus.http.test-ssl-port", Integer.toString(httpsPort)),
                        Map.entry("quarkus.http.test-port", Integer.toString(httpPort)),
                        Map.entry("berth.manifests-dir", manifests.toString()),
                        Map.entry("berth.state-dir", dir.resolve("state").toString()),
                        Map.entry("berth.secrets-dir", Files.createDirectories(dir.resolve("secrets")).toString()),
                        Map.entry("berth.project", EngineProjects.newName("tls")),
                        Map.entry("berth.api.token", TOKEN));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {}
    }

    private static HttpClient trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(30)).build(); // the handshake counts
    }

    @Test
    void httpsAnswersWithTheCertificateAndPlainHttpIsNotServed() throws Exception {
        HttpResponse<String> services = trusting().send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + httpsPort + "/api/v1/services"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(services.statusCode()).as(services.body()).isEqualTo(200);
        assertThat(services.body()).startsWith("[");
        assertThat(services.sslSession()).get().satisfies(s -> assertThat(s.getPeerCertificates()[0].toString())
                .contains("CN=localhost"));
        HttpResponse<String> live = trusting().send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + httpsPort + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);

        // A client that does not trust the certificate gets no answer.
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + httpsPort + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        // Plain HTTP: nothing listens on the HTTP port, and the HTTPS port does not speak it.
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        int plainOnTls;
        try {
            plainOnTls = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpsPort + "/api/v1/services")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException refused) {
            plainOnTls = -1;
        }
        assertThat(plainOnTls).as("plain HTTP to the HTTPS port gets no API answer").isNotEqualTo(200);
    }
}
