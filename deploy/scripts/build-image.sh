#!/usr/bin/env bash
# Builds a silo/manager image with whichever engine this machine has (docker, podman or buildah). See deploy/README.md.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
program="$(basename "$0")"
# shellcheck source-path=SCRIPTDIR
source "${script_dir}/lib/common.bash"
# shellcheck source-path=SCRIPTDIR
source "${script_dir}/lib/local-base-images.bash"

usage() {
  cat <<EOF
Usage: ${program} [--tag IMAGE] [--platform PLATFORMS] [--context DIR] [--file DOCKERFILE]
                      [--engine docker|podman|buildah] [--local-base] [--dry-run]

Builds a container image from a Dockerfile and prints its name. Serves this repository's Launcher image
(deploy/Dockerfile) and the image of an app made from the orleans-batch template (its Dockerfile) alike.

Options:
  --tag IMAGE          the image name (default: orleans-batch:dev)
  --platform P[,P]     linux/amd64, linux/arm64, or both comma-separated (a multi-architecture manifest list;
                       docker needs a buildx builder that can export it, podman and buildah make a manifest)
                       (default: this machine's architecture)
  --context DIR        the build context (default: the current directory)
  --file DOCKERFILE    the Dockerfile (default: DIR/deploy/Dockerfile when it exists, else DIR/Dockerfile)
  --engine ENGINE      docker, podman or buildah (default: docker when its daemon answers, else podman, else buildah)
  --local-base         first build local stand-ins for mcr.microsoft.com/dotnet/{sdk,runtime}:10.0 from Debian and
                       this machine's .NET (root, podman or buildah; for machines that cannot reach Microsoft's
                       registry), and build without pulling; also mounts this machine's CA certificates into the
                       build so that NuGet restores through the same trust store
  --base-work DIR      where --local-base keeps its root file system (default: /var/tmp/orleans-batch-base-images)
  --dry-run            print the commands instead of running them
  -h, --help           show this help
EOF
}

tag="orleans-batch:dev" platforms="" context="." file="" engine="" local_base=false dry_run=false
base_work="/var/tmp/orleans-batch-base-images" dotnet_version="10.0"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry_run=true; shift ;;
    --local-base) local_base=true; shift ;;
    --tag | --platform | --context | --file | --engine | --base-work)
      [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"
      case "$1" in
        --tag) tag=$2 ;;
        --platform) platforms=$2 ;;
        --context) context=$2 ;;
        --file) file=$2 ;;
        --engine) engine=$2 ;;
        --base-work) base_work=$2 ;;
      esac
      shift 2 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

[[ ${tag} =~ ^[a-z0-9]+([._/:-][a-zA-Z0-9_]+)*([.:-][a-zA-Z0-9_]+)*$ ]] || usage_error "--tag must be an image name such as orleans-batch:dev, got '${tag}'"
[[ -d ${context} ]] || usage_error "--context '${context}' is not a directory"
context="$(cd "${context}" && pwd)"
if [[ -z ${file} ]]; then
  file="${context}/deploy/Dockerfile"
  [[ -f ${file} ]] || file="${context}/Dockerfile"
fi
[[ -f ${file} ]] || usage_error "--file '${file}' does not exist (give the Dockerfile with --file)"

host_platform() {
  case "$(uname -m)" in
    x86_64 | amd64) echo linux/amd64 ;;
    aarch64 | arm64) echo linux/arm64 ;;
    *) die "unsupported machine architecture $(uname -m): give --platform" ;;
  esac
}
[[ -n ${platforms} ]] || platforms=$(host_platform)
IFS=',' read -r -a platform_list <<<"${platforms}"
for platform in "${platform_list[@]}"; do
  case "${platform}" in
    linux/amd64 | linux/arm64) ;;
    *) usage_error "--platform must be linux/amd64, linux/arm64 or both comma-separated, got '${platforms}'" ;;
  esac
done

engine_works() {
  case "$1" in
    docker) command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 ;;
    podman | buildah) command -v "$1" >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}
if [[ -n ${engine} ]]; then
  case "${engine}" in docker | podman | buildah) ;; *) usage_error "--engine must be docker, podman or buildah, got '${engine}'" ;; esac
  ${dry_run} || engine_works "${engine}" || die "--engine ${engine}: it is not installed, or (docker) its daemon does not answer"
else
  for candidate in docker podman buildah; do
    if engine_works "${candidate}"; then engine=${candidate}; break; fi
  done
  [[ -n ${engine} ]] || die "no container engine: install Docker (with its daemon running), podman or buildah"
fi

if ${local_base} && [[ ${platforms} != "$(host_platform)" ]]; then
  usage_error "--local-base makes base images for this machine's architecture ($(host_platform)) only; drop --platform ${platforms} or use Microsoft's images"
fi

# podman and buildah start build containers with the open-files and process limits they default to (1048576),
# which a machine with lower hard limits refuses: ask for the hard limits this shell has instead (and no more
# processes than the kernel has PIDs, which some kernels also refuse).
limits=()
if [[ ${engine} != docker ]]; then
  files=$(ulimit -Hn) processes=$(ulimit -Hu) pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo unlimited)
  if [[ ${processes} == unlimited ]] || { [[ ${pid_max} != unlimited ]] && ((processes > pid_max)); }; then processes=${pid_max}; fi
  [[ ${files} == unlimited ]] || limits+=(--ulimit "nofile=${files}:${files}")
  [[ ${processes} == unlimited ]] || limits+=(--ulimit "nproc=${processes}:${processes}")
fi

build=()
case "${engine}" in
  docker)
    if [[ ${#platform_list[@]} -gt 1 ]]; then
      build=(docker buildx build --platform "${platforms}" --tag "${tag}")
    else
      build=(docker build --platform "${platforms}" --tag "${tag}")
    fi ;;
  podman | buildah)
    if [[ ${#platform_list[@]} -gt 1 ]]; then
      build=("${engine}" build --platform "${platforms}" --manifest "${tag}")
    else
      build=("${engine}" build --platform "${platforms}" --tag "${tag}")
    fi
    # Host networking for the build's restore: works on machines without a container network (CI sandboxes).
    build+=(--network host "${limits[@]}")
    if ${local_base}; then
      build+=(--pull=never --volume /etc/ssl/certs:/etc/ssl/certs:ro --build-arg NUGET_CERT_REVOCATION_MODE=offline)
    fi ;;
esac
build+=(--file "${file}" "${context}")

if ${dry_run}; then
  ${local_base} && echo "# local base images: mcr.microsoft.com/dotnet/aspnet:${dotnet_version} and sdk:${dotnet_version} from ${base_work}"
  echo "${build[*]}"
  exit 0
fi

if ${local_base}; then
  make_local_base_images "${engine}" "${base_work}" "${dotnet_version}"
fi
"${build[@]}" >&2 || die "${engine} build failed"
echo "${tag}"
