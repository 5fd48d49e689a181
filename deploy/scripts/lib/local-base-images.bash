# Local stand-ins for Microsoft's .NET base images (sourced by build-image.sh, not run).
#
# For machines that reach the Debian and NuGet package mirrors but not mcr.microsoft.com: a Debian 12 (bookworm)
# minimal root file system, made with debootstrap, gets the packages Microsoft's images install and the same
# non-root user (app, UID 1654), then this machine's .NET runtime (and, for the SDK image, the whole SDK) is
# copied in, and the result is imported under the names a Dockerfile expects:
#   mcr.microsoft.com/dotnet/aspnet:<major.minor>   mcr.microsoft.com/dotnet/sdk:<major.minor>
# Only for this machine's architecture, and only with podman or buildah (docker cannot import into BuildKit's
# cache without a daemon round trip that we have no need of). Needs root (debootstrap, chroot).

# The packages Microsoft's runtime-deps image for Debian 12 installs.
readonly local_base_packages="ca-certificates libc6 libgcc-s1 libicu72 libssl3 libstdc++6 tzdata zlib1g"
readonly local_base_uid=1654

# make_local_base_images ENGINE WORK_DIR DOTNET_VERSION
make_local_base_images() {
  local engine=$1 work=$2 version=$3 dotnet_root runtime_dir aspnet_dir
  [[ ${EUID} -eq 0 ]] || die "--local-base needs root (debootstrap and chroot); run it with sudo"
  [[ ${engine} == podman || ${engine} == buildah ]] || die "--local-base needs podman or buildah to import the base images (found ${engine})"
  command -v debootstrap >/dev/null 2>&1 || die "--local-base needs debootstrap: apt-get install debootstrap"
  command -v dotnet >/dev/null 2>&1 || die "--local-base copies this machine's .NET into the images, but dotnet is not on PATH"
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  runtime_dir=$(find "${dotnet_root}/shared/Microsoft.NETCore.App" -mindepth 1 -maxdepth 1 -type d -name "${version}.*" | sort -V | tail -n 1)
  [[ -n ${runtime_dir} ]] || die "--local-base: this machine has no .NET ${version} runtime under ${dotnet_root}/shared/Microsoft.NETCore.App"
  aspnet_dir=$(find "${dotnet_root}/shared/Microsoft.AspNetCore.App" -mindepth 1 -maxdepth 1 -type d -name "${version}.*" 2>/dev/null | sort -V | tail -n 1)
  [[ -n ${aspnet_dir} ]] || die "--local-base: this machine has no ASP.NET Core ${version} runtime under ${dotnet_root}/shared/Microsoft.AspNetCore.App"

  mkdir -p "${work}"
  # One builder at a time per work directory: concurrent test runs share it.
  exec 8>"${work}/.lock"
  command -v flock >/dev/null 2>&1 && flock 8

  # Made before from this same runtime: nothing to do (remove the images to force a rebuild).
  local_base_runtime_version=$(basename "${runtime_dir}")
  local wanted="DOTNET_VERSION=${local_base_runtime_version}"
  if image_has_env "${engine}" "mcr.microsoft.com/dotnet/aspnet:${version}" "${wanted}" &&
     image_has_env "${engine}" "mcr.microsoft.com/dotnet/sdk:${version}" "${wanted}"; then
    echo "${program}: local base images for .NET $(basename "${runtime_dir}") are up to date" >&2
    return 0
  fi

  local rootfs="${work}/rootfs-bookworm"
  if [[ ! -f ${rootfs}/.complete ]]; then
    echo "${program}: building a Debian 12 root file system in ${rootfs} (a few minutes, once)" >&2
    rm -rf "${rootfs}"
    debootstrap --variant=minbase bookworm "${rootfs}" >"${work}/debootstrap.log" 2>&1 ||
      die "debootstrap failed, see ${work}/debootstrap.log (does this machine reach a Debian mirror?)"
    cp /etc/resolv.conf "${rootfs}/etc/resolv.conf"
    chroot "${rootfs}" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${local_base_packages} >/dev/null &&
        groupadd -g ${local_base_uid} app && useradd -u ${local_base_uid} -g app -m -d /home/app app &&
        apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /usr/share/doc/* /usr/share/man/* /usr/share/info/*" >>"${work}/debootstrap.log" 2>&1 ||
      die "installing the .NET dependencies into the root file system failed, see ${work}/debootstrap.log"
    : >"${rootfs}/etc/resolv.conf"
    touch "${rootfs}/.complete"
  fi

  local changes=(--change "ENV APP_UID=${local_base_uid}" --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true'
                 --change "ENV DOTNET_VERSION=${local_base_runtime_version}"
                 --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  local stage="${work}/stage"

  # The ASP.NET Core runtime image (the manager serves the dashboard): the host (muxer), hostfxr,
  # Microsoft.NETCore.App and Microsoft.AspNetCore.App of the wanted version only.
  rm -rf "${stage}" && cp -a "${rootfs}" "${stage}" && rm -f "${stage}/.complete"
  mkdir -p "${stage}/usr/share/dotnet/shared/Microsoft.NETCore.App" "${stage}/usr/share/dotnet/shared/Microsoft.AspNetCore.App" "${stage}/usr/share/dotnet/host/fxr"
  cp -a "${dotnet_root}/dotnet" "${stage}/usr/share/dotnet/"
  cp -a "$(find "${dotnet_root}/host/fxr" -mindepth 1 -maxdepth 1 -type d | sort -V | tail -n 1)" "${stage}/usr/share/dotnet/host/fxr/"
  cp -a "${runtime_dir}" "${stage}/usr/share/dotnet/shared/Microsoft.NETCore.App/"
  cp -a "${aspnet_dir}" "${stage}/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
  ln -sf /usr/share/dotnet/dotnet "${stage}/usr/bin/dotnet"
  import_root "${engine}" "${stage}" "mcr.microsoft.com/dotnet/aspnet:${version}" "${changes[@]}"

  # The SDK image: the whole SDK installation of this machine.
  rm -rf "${stage}" && cp -a "${rootfs}" "${stage}" && rm -f "${stage}/.complete"
  mkdir -p "${stage}/usr/share" && cp -a "${dotnet_root}" "${stage}/usr/share/dotnet"
  ln -sf /usr/share/dotnet/dotnet "${stage}/usr/bin/dotnet"
  import_root "${engine}" "${stage}" "mcr.microsoft.com/dotnet/sdk:${version}" "${changes[@]}"
  rm -rf "${stage}"
  echo "${program}: local base images mcr.microsoft.com/dotnet/aspnet:${version} and mcr.microsoft.com/dotnet/sdk:${version} are ready" >&2
}

# image_has_env ENGINE IMAGE NAME=VALUE: the image exists and sets that variable.
image_has_env() {
  "$1" image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$2" 2>/dev/null | grep -qxF "$3"
}

# import_root ENGINE DIR IMAGE CHANGES...
import_root() {
  local engine=$1 dir=$2 image=$3
  shift 3
  case "${engine}" in
    podman) tar -C "${dir}" -c . | podman import "$@" - "${image}" >/dev/null ;;
    # buildah has no import: commit a scratch container whose root is the directory.
    buildah) local container mount
      container=$(buildah from scratch) && mount=$(buildah mount "${container}") && cp -a "${dir}/." "${mount}/" &&
        buildah unmount "${container}" >/dev/null &&
        buildah config --env APP_UID="${local_base_uid}" --env DOTNET_RUNNING_IN_CONTAINER=true \
          --env "DOTNET_VERSION=${local_base_runtime_version}" "${container}" &&
        buildah commit --quiet "${container}" "${image}" >/dev/null && buildah rm "${container}" >/dev/null ;;
  esac || die "could not import ${image} with ${engine}"
}
