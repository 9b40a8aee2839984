# Berth's container image: a multi-stage build (JDK + Maven wrapper to build,
# a JRE to run). The base images are build arguments so the image can be built
# where public registries cannot be reached; deploy/docker/build-local-base.sh
# makes local ones from Debian packages and builds with them:
#
#   docker build -t berth:dev .                                   # public bases
#   docker build --build-arg BUILD_IMAGE=local/berth-build:17 \
#                --build-arg RUNTIME_IMAGE=local/berth-runtime:17 -t berth:dev .
#
# BUILD_IMAGE needs a JDK 17 (javac) and, ideally, curl or wget (./mvnw
# downloads Maven 3.9.9 from Maven Central, as Maven then downloads the
# dependencies). RUNTIME_IMAGE needs a Java 17 runtime on PATH and
# groupadd/useradd (any Debian or Ubuntu based image has them).
#
# Run it (see deploy/compose/compose.yaml for the same as a Compose file):
#
#   docker run -d --name berth \
#     --group-add "$(stat -c %g /var/run/docker.sock)" \
#     -v /var/run/docker.sock:/var/run/docker.sock \
#     -v /etc/berth/manifests:/etc/berth/manifests:ro \
#     -v /etc/berth/secrets:/etc/berth/secrets:ro \
#     -v /var/lib/berth:/var/lib/berth \
#     -p 127.0.0.1:7070:7070 berth:dev
#
# The state directory must be bind-mounted at the SAME path inside and outside:
# Berth snapshots config and secret files there and asks the engine to
# bind-mount them into the containers it creates, and the engine resolves
# those paths on the host, not in Berth's container. (A path the host does not
# have makes the container fail to start with "bind source path does not exist".) For the same
# reason, manifests that bind-mount host paths (volumes with `source:`) need
# the manifests directory mounted at the same path as on the host.
#
# JVM options: /opt/berth/berth.jvm.options holds the daemon's settings (a
# 256 MiB heap cap among them); -e JAVA_OPTS=-Xmx512m adds options after them,
# which win.

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build

# Dependency layer: only the POM and the wrapper, so editing sources does not
# download Maven and the dependencies again. quarkus:go-offline also fetches
# what the Quarkus build step itself resolves (deployment artifacts), which
# dependency:go-offline does not know about.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw \
 && ./mvnw -B -ntp -q dependency:go-offline quarkus:go-offline

COPY src/ src/
# The manifests the AppCDS training run starts on (src/main/launcher/make-appcds).
COPY deploy/examples/ deploy/examples/
RUN ./mvnw -B -ntp package -DskipTests \
 && test -f target/quarkus-app/quarkus-run.jar

FROM ${RUNTIME_IMAGE}

# Non-root by default. Berth talks to the engine through the Docker socket, so
# the uid it runs as must be able to open /var/run/docker.sock (root:docker,
# mode 660 on most hosts): run the container with
#   --group-add "$(stat -c %g /var/run/docker.sock)"   (Compose: group_add)
# and give uid 10001 write access to the state directory
# (install -d -o 10001 -g 10001 -m 0750 /var/lib/berth) and read access to the
# manifests and secrets. Access to the socket is root-equivalent on the host
# anyway; running the JVM itself as non-root still keeps a compromised Berth
# away from writing the image's files and from other root-only host files
# mounted into it. Running as root (--user 0) also works and needs none of the
# above, at the price of that last bit of defence.
ARG BERTH_UID=10001
ARG BERTH_GID=10001
RUN groupadd --gid "${BERTH_GID}" berth \
 && useradd --no-log-init --uid "${BERTH_UID}" --gid berth --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin berth \
 && mkdir -p /opt/berth /etc/berth/manifests /etc/berth/secrets /var/lib/berth \
 && chown berth:berth /var/lib/berth \
 && chmod 0750 /var/lib/berth

# Quarkus' fast-jar layout, least often changing parts first (its jars stored, not deflated, by
# the build: src/build/StoreJars.java; compressed as a whole when pushed, the layer is smaller so).
COPY --from=build /build/target/quarkus-app/lib/ /opt/berth/lib/
COPY --from=build /build/target/quarkus-app/*.jar /build/target/quarkus-app/berth.jvm.options \
     /build/target/quarkus-app/make-appcds /opt/berth/
COPY --from=build /build/target/quarkus-app/training/ /opt/berth/training/
COPY --from=build /build/target/quarkus-app/app/ /opt/berth/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /opt/berth/quarkus/
# The AppCDS archive again, with this image's JVM: one made by the build stage's JDK would be
# ignored at run time (an archive only serves the very JVM build that made it). The same
# training run as the build's: the daemon starts on the example manifests, runs one pass
# against no engine and exits.
RUN cd /opt/berth && sh make-appcds && test -s app-cds.jsa

# Inside a container the API must listen on the container's interfaces; publish
# the port on the host's loopback only (-p 127.0.0.1:7070:7070).
ENV BERTH_MANIFESTS_DIR=/etc/berth/manifests \
    BERTH_STATE_DIR=/var/lib/berth \
    BERTH_SECRETS_DIR=/etc/berth/secrets \
    QUARKUS_HTTP_HOST=0.0.0.0

LABEL org.opencontainers.image.title="Berth" \
      org.opencontainers.image.description="Keeps one Docker host in the state a directory of YAML manifests describes."

USER ${BERTH_UID}:${BERTH_GID}
WORKDIR /opt/berth
EXPOSE 7070
# exec: java is the container's main process and gets the engine's SIGTERM.
# From /opt/berth (WORKDIR), where berth.jvm.options finds the AppCDS archive.
ENTRYPOINT ["sh", "-c", "exec java @/opt/berth/berth.jvm.options $JAVA_OPTS -jar quarkus-run.jar"]
