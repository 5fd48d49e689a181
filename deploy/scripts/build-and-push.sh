#!/usr/bin/env bash
# Builds the Launcher image (deploy/Dockerfile) and pushes it to an Amazon ECR repository. See deploy/README.md.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
program="$(basename "$0")"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

usage() {
  cat <<EOF
Usage: ${program} --repository URI [--tag TAG] [--platform PLATFORM] [--no-latest] [--dry-run]

Builds deploy/Dockerfile from the repository root, logs Docker in to Amazon ECR, pushes the image as
URI:TAG (and URI:latest), and prints URI:TAG.

Required:
  --repository URI     the ECR repository, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/orleans-batch-launcher
                       (the CloudFormation stack's RepositoryUri output)

Options:
  --tag TAG            the image tag (default: the git commit, with -dirty when the work tree has changes)
  --platform PLATFORM  linux/amd64 (default; x86-64 instances and Fargate X86_64) or linux/arm64 (Graviton)
  --no-latest          push only TAG, not also latest (the stack's job definitions use latest by default)
  --dry-run            print the commands instead of running them
  -h, --help           show this help
EOF
}

repository="" tag="" platform="linux/amd64" latest=true dry_run=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry_run=true; shift ;;
    --no-latest) latest=false; shift ;;
    --repository | --tag | --platform)
      [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"
      case "$1" in
        --repository) repository=$2 ;;
        --tag) tag=$2 ;;
        --platform) platform=$2 ;;
      esac
      shift 2 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

[[ -n ${repository} ]] || usage_error "--repository is required (the stack's RepositoryUri output)"
ecr='^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/([a-z0-9]+([._/-][a-z0-9]+)*)$'
[[ ${repository} =~ ${ecr} ]] ||
  usage_error "--repository must be an ECR repository URI such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/orleans-batch-launcher, got '${repository}'"
region=${BASH_REMATCH[2]}
registry=${repository%%/*}
case "${platform}" in
  linux/amd64 | linux/arm64) ;;
  *) usage_error "--platform must be linux/amd64 or linux/arm64, got '${platform}'" ;;
esac

if [[ -z ${tag} ]]; then
  if git -C "${repo_root}" rev-parse --git-dir >/dev/null 2>&1; then
    tag=$(git -C "${repo_root}" rev-parse --short=12 HEAD)
    [[ -z $(git -C "${repo_root}" status --porcelain) ]] || tag+="-dirty"
  else
    tag=$(date -u +%Y%m%d%H%M%S)
  fi
fi
[[ ${tag} =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || usage_error "--tag must be a Docker tag (letters, digits, '_', '.', '-'), got '${tag}'"

image="${repository}:${tag}"
build=(docker build --file "${repo_root}/deploy/Dockerfile" --platform "${platform}" --tag "${image}")
${latest} && build+=(--tag "${repository}:latest")
build+=("${repo_root}")
pushes=("${image}")
${latest} && pushes+=("${repository}:latest")

if ${dry_run}; then
  echo "aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registry}"
  echo "${build[*]}"
  for pushed in "${pushes[@]}"; do
    echo "docker push ${pushed}"
  done
  exit 0
fi

command -v docker >/dev/null 2>&1 || die "docker is not on PATH: install Docker (or a compatible engine with BuildKit)"
command -v aws >/dev/null 2>&1 || die "the AWS CLI (aws) is not on PATH: see https://aws.amazon.com/cli/"

aws ecr get-login-password --region "${region}" | docker login --username AWS --password-stdin "${registry}" >&2 ||
  die "could not log Docker in to ${registry}: check your AWS credentials and ecr:GetAuthorizationToken"
"${build[@]}" >&2 || die "docker build failed"
for pushed in "${pushes[@]}"; do
  docker push "${pushed}" >&2 || die "docker push ${pushed} failed (does the repository exist, and may you push to it?)"
done

echo "${image}"
echo "Pushed ${image}. Use it with --image ${image} (register-job-definition.sh) or ImageTag=${tag} (the stack)." >&2
