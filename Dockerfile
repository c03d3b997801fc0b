# syntax=docker/dockerfile:1-labs
# The keystore image for people with Docker: the same file tree as dstack/build-image.sh, because a
# builder stage runs that very script (mmdebstrap + umoci, pinned by dstack/rootfs.lock).
#
#   docker buildx build --allow security.insecure \
#     --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) --build-arg KEYSTORE_REVISION=$(git rev-parse HEAD) \
#     -t near-tee-keystore .
#   # the OCI archive with the digest to approve (the same as build-image.sh prints on any machine):
#   docker buildx build --allow security.insecure --build-arg … --target oci-archive --output type=local,dest=out .
#
# Docker writes its own layer tar, so the runnable image's digest differs from the archive's; the file
# tree, user, entry point and environment are the same. mmdebstrap mounts /proc in its chroot, hence
# the insecure entitlement for that one step (it affects the builder only, not the image).
#
# Base images pinned by digest. No registry was reachable where this file was written, so the digests
# are placeholders to fill in once from `docker buildx imagetools inspect <image:tag>` ("Digest: sha256:…");
# until then the build stops here with "invalid reference format".
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.401@sha256:FILL_IN_FROM_docker_buildx_imagetools_inspect

FROM ${SDK_IMAGE} AS build
# The builder only: the image itself never runs apt-get, its packages are the rootfs.lock versions.
RUN apt-get update && apt-get install -y --no-install-recommends mmdebstrap umoci debian-archive-keyring python3 ca-certificates
WORKDIR /src
COPY . .
ARG SOURCE_DATE_EPOCH
ARG KEYSTORE_REVISION=unknown
RUN --security=insecure test -n "$SOURCE_DATE_EPOCH" \
    && SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" KEYSTORE_REVISION="$KEYSTORE_REVISION" \
       bash dstack/build-image.sh --out /out --rootfs-dir /rootfs

FROM scratch AS oci-archive
COPY --from=build /out/ /

FROM scratch
COPY --from=build /rootfs/ /
# No key, secret or state is ever written inside the container; /app is root-owned and read-only to the user.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_gcServer=0
USER 10001:10001
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["/app/Keystore"]
