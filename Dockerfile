# Switchboard node image: the launcher jar built from these sources, on a Java 17 runtime.
#   docker build -t switchboard-broker .
#   docker run -p 8080:8080 switchboard-broker      (a single node; see docker-compose.yml for a cluster)
# Settings come from SWITCHBOARD_* variables (or a config file: SWITCHBOARD_CONFIG), see docs/operations.md.
#
# Without a container registry: scripts/compose-images.sh builds the base images from Debian packages and passes
#   --build-arg BUILD_IMAGE=switchboard-jre:local --build-arg RUNTIME_IMAGE=switchboard-jre:local
# with the jar built on the host in docker/prebuilt/ (then Maven does not run in the build). The file uses no
# BuildKit-only syntax: the classic builder builds it too.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY docker/prebuilt/ prebuilt/
COPY pom.xml ./
COPY client-sdk/pom.xml client-sdk/
COPY broker/pom.xml broker/
COPY examples/pom.xml examples/
COPY examples/bench/pom.xml examples/bench/
COPY client-sdk/src client-sdk/src
COPY broker/src/main broker/src/main
# A prebuilt jar wins; otherwise Maven builds one (the image then needs Maven and the registry).
RUN mkdir -p broker/target && if [ -f prebuilt/switchboard-broker.jar ]; then \
      cp prebuilt/switchboard-broker.jar broker/target/; \
    else \
      mvn -B -ntp -pl broker -am package -DskipTests; \
    fi

FROM ${RUNTIME_IMAGE}
RUN groupadd --system switchboard && useradd --system --gid switchboard --home-dir /opt/switchboard switchboard
WORKDIR /opt/switchboard
COPY --from=build /src/broker/target/switchboard-broker.jar ./switchboard-broker.jar
COPY scripts/ready.sh ./ready.sh
USER switchboard
# In a container every member must reach the others: listen on all interfaces. The cluster host must be this
# container's name as the others reach it (in docker-compose.yml: its service name).
ENV SWITCHBOARD_HOST=0.0.0.0 \
    SWITCHBOARD_PORT=8080 \
    SWITCHBOARD_CLUSTER_PORT=5701 \
    SWITCHBOARD_BUS_PORT=5801 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
# 8080: clients (/ws), /health/live, /health/ready, /metrics. 5701: Hazelcast. 5801: event bus. Members need all three.
EXPOSE 8080 5701 5801
HEALTHCHECK --interval=5s --timeout=6s --start-period=60s --retries=3 CMD ["/opt/switchboard/ready.sh"]
# The jar's manifest carries the --add-opens/--add-exports Hazelcast needs on Java 17, so java -jar needs no flags.
# exec: java is PID 1 and gets SIGTERM itself, to drain (give it the drain window + 20 s: stop_grace_period).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/switchboard/switchboard-broker.jar \"$@\"", "switchboard"]
