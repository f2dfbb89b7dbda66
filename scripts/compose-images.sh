#!/usr/bin/env bash
# The images of docker-compose.yml, built without a container registry: base images from Debian packages alone
# (debootstrap from the Debian mirror apt uses), and the node image from the jar built on the host.
#   switchboard-jre:local     bookworm minbase + openjdk-17-jre-headless + curl  (SWITCHBOARD_BUILD_IMAGE, _RUNTIME_IMAGE)
#   switchboard-nginx:local   bookworm minbase + nginx-light + curl              (SWITCHBOARD_LB_IMAGE)
#   switchboard-broker:local  the Dockerfile on switchboard-jre:local with broker/target/switchboard-broker.jar
# A base image that exists is kept (remove it to build it again, about a minute); the node image is always rebuilt
# (seconds). Needs root, debootstrap, a Docker engine and the jar (mvn -pl broker -am package -DskipTests).
#   scripts/compose-images.sh
#   SWITCHBOARD_LB_IMAGE=switchboard-nginx:local docker-compose up -d      then runs the cluster on them
#   MIRROR=http://deb.debian.org/debian scripts/compose-images.sh     (default: the first Debian mirror apt uses here)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/broker/target/switchboard-broker.jar"
[ -f "$jar" ] || { echo "compose-images.sh: $jar is missing: mvn -pl broker -am package -DskipTests" >&2; exit 2; }

# The engine's own CLI where there is one (/usr/bin/docker of docker.io): a newer CLI without buildx refuses to build.
docker_cli=${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker)}
suite=${SUITE:-bookworm}

mirror=${MIRROR:-}
if [ -z "$mirror" ]; then
  # The mirror apt already uses: deb822 sources (URIs:) or one-line sources (deb URL suite ...).
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}')
  [ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '$1 == "deb" && $2 !~ /^\[/ && $2 ~ /debian\/?$/ {print $2; exit}')
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi

build() { # build NAME PACKAGES
  local name=$1 packages=$2
  if "$docker_cli" image inspect "$name" >/dev/null 2>&1; then
    echo "$name: present"
    return
  fi
  local dir
  dir=$(mktemp -d /tmp/switchboard-rootfs.XXXXXX)
  echo "$name: debootstrap $suite ($packages) from $mirror"
  if ! debootstrap --variant=minbase --include="$packages" "$suite" "$dir" "$mirror" >"$dir.log" 2>&1; then
    tail -20 "$dir.log" >&2
    rm -rf "$dir" "$dir.log"
    echo "$name: debootstrap failed" >&2
    return 1
  fi
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  tar -C "$dir" -c . | "$docker_cli" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$name" >/dev/null
  rm -rf "$dir" "$dir.log"
  echo "$name: built"
}

# The two builds download different packages: run them side by side.
build switchboard-jre:local openjdk-17-jre-headless,curl,ca-certificates &
jre=$!
build switchboard-nginx:local nginx-light,curl &
lb=$!
status=0
wait $jre || status=1
wait $lb || status=1
[ $status = 0 ] || exit $status

# The node image: the classic builder (no BuildKit needed), Maven skipped by the prebuilt jar.
cp "$jar" "$root/docker/prebuilt/switchboard-broker.jar"
DOCKER_BUILDKIT=0 "$docker_cli" build -q -t "${SWITCHBOARD_IMAGE:-switchboard-broker:local}" \
  --build-arg BUILD_IMAGE=switchboard-jre:local --build-arg RUNTIME_IMAGE=switchboard-jre:local "$root" >/dev/null
echo "${SWITCHBOARD_IMAGE:-switchboard-broker:local}: built"
