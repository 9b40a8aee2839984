package dev.berth.net;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS of a client that never speaks it: the engine's unix socket, plain-HTTP health probes,
 * the data plane's admin channel on the loopback.
 * docker-java's httpclient5 transport and the JDK's {@code HttpClient} make the JDK's default
 * context when given none, and its security providers and CA certificates cost about 0.1 s of a
 * start (docs/benchmarks.md). Any use of this context fails.
 */
public final class NoTls extends SSLContext {
    /**
     * A context for docker-java's {@code SSLConfig} or {@code HttpClient.Builder.sslContext} (give
     * the latter {@code sslParameters} too, or it asks this context for defaults).
     */
    public static SSLContext context() {
        return new NoTls();
    }

    /** A JDK {@code HttpClient} builder for plain HTTP only: an {@code https} URI fails. */
    public static java.net.http.HttpClient.Builder plainHttp() {
        return java.net.http.HttpClient.newBuilder().sslContext(context())
                .sslParameters(new javax.net.ssl.SSLParameters());
    }

    private NoTls() {
        super(new Refusing(), null, "none");
    }

    private static final class Refusing extends SSLContextSpi {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("this client speaks no TLS (the engine's unix socket, "
                    + "plain-HTTP probes, the data plane's loopback admin channel)");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }
}
