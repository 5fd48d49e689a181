#!/usr/bin/env bash
# Installs and runs the official AWS DynamoDB Local for tests and local runs.
#
# DynamoDB Local 1.25.1 is taken from the npm package amplify-dynamodb-simulator@2.9.30, which ships the
# official jar and its native libraries under package/emulator. It is installed into
# <repo>/.tools/dynamodb-local/ (git-ignored), or into $DYNAMODB_LOCAL_DIR when that is set.
#
#   tests/tools/dynamodb-local.sh install          install once (idempotent)
#   tests/tools/dynamodb-local.sh run [--port N] [--exit-with PID]
#                                                  install if needed, then run in the foreground (default port 8000);
#                                                  with --exit-with, stop when process PID ends
#   tests/tools/dynamodb-local.sh path             print the jar path (fails when not installed)
#
# `run` always passes -sharedDb: without it DynamoDB Local keeps one database per access key and region, so
# processes with different credentials would not see each other's tables. Data lives in memory only.
set -euo pipefail

readonly npm_package="amplify-dynamodb-simulator@2.9.30"
readonly marker_content="${npm_package} (DynamoDB Local 1.25.1)"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
install_dir="${DYNAMODB_LOCAL_DIR:-${repo_root}/.tools/dynamodb-local}"
emulator_dir="${install_dir}/package/emulator"
jar_path="${emulator_dir}/DynamoDBLocal.jar"
marker="${install_dir}/.installed"

die() {
  echo "dynamodb-local: $*" >&2
  exit 1
}

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

is_installed() {
  [[ -f "${jar_path}" && -f "${marker}" && "$(cat "${marker}")" == "${marker_content}" ]]
}

install() {
  if is_installed; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 ||
    die "npm is required to download DynamoDB Local (${npm_package}); install Node.js 18+ (which includes npm), or set DYNAMODB_ENDPOINT to a running DynamoDB Local."
  command -v tar >/dev/null 2>&1 || die "tar is required to unpack DynamoDB Local."

  mkdir -p "$(dirname "${install_dir}")"
  # Several test processes may install at once: serialize on a lock and re-check under it.
  exec 9>"${install_dir}.lock"
  if command -v flock >/dev/null 2>&1; then
    flock 9
  fi
  if is_installed; then
    return 0
  fi

  local staging
  staging="$(mktemp -d "${install_dir}.staging.XXXXXX")"
  chmod 755 "${staging}"
  trap 'rm -rf "${staging}"' RETURN
  echo "dynamodb-local: downloading ${npm_package} ..." >&2
  (cd "${staging}" && npm pack "${npm_package}" --silent >/dev/null) ||
    die "npm pack ${npm_package} failed; check access to the npm registry ($(npm config get registry 2>/dev/null))."
  local tarball
  tarball="$(ls "${staging}"/amplify-dynamodb-simulator-*.tgz 2>/dev/null | head -n 1)"
  [[ -n "${tarball}" ]] || die "npm pack produced no tarball in ${staging}."
  tar -xzf "${tarball}" -C "${staging}" package/emulator ||
    die "could not extract package/emulator from ${tarball}."
  [[ -f "${staging}/package/emulator/DynamoDBLocal.jar" ]] ||
    die "${tarball} does not contain package/emulator/DynamoDBLocal.jar."
  rm -f "${tarball}"
  echo "${marker_content}" >"${staging}/.installed"

  rm -rf "${install_dir}"
  mv "${staging}" "${install_dir}"
  echo "dynamodb-local: installed into ${install_dir}" >&2
}

run() {
  local port=8000
  local exit_with=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port)
        [[ $# -ge 2 ]] || die "--port needs a value."
        port="$2"
        shift 2
        ;;
      --port=*)
        port="${1#--port=}"
        shift
        ;;
      --exit-with)
        [[ $# -ge 2 ]] || die "--exit-with needs a process id."
        exit_with="$2"
        shift 2
        ;;
      *) die "unknown option for run: $1" ;;
    esac
  done
  [[ "${port}" =~ ^[0-9]+$ && "${port}" -ge 1 && "${port}" -le 65535 ]] || die "--port must be 1-65535, got '${port}'."
  [[ -z "${exit_with}" || "${exit_with}" =~ ^[0-9]+$ ]] || die "--exit-with must be a process id, got '${exit_with}'."
  command -v java >/dev/null 2>&1 ||
    die "java is required to run DynamoDB Local; install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)."
  install

  # DynamoDB Local writes dynamodb-local-metadata.json into its working directory: keep it out of the caller's.
  cd "${install_dir}"
  # DynamoDB Local has no bind-address option (it listens on all interfaces); clients use 127.0.0.1.
  local -a command=(java -Xmx512m -Djava.library.path="${emulator_dir}/DynamoDBLocal_lib" -jar "${jar_path}"
    -inMemory -sharedDb -disableTelemetry -port "${port}")
  if [[ -z "${exit_with}" ]]; then
    # exec: the caller's process id is the java process, so stopping it stops DynamoDB Local.
    exec "${command[@]}"
  fi

  # --exit-with PID: also stop DynamoDB Local when that process ends (e.g. a test run that crashed).
  "${command[@]}" &
  local java_pid=$!
  trap 'kill "${java_pid}" 2>/dev/null || true' EXIT
  trap 'exit 143' TERM INT HUP
  while kill -0 "${exit_with}" 2>/dev/null && kill -0 "${java_pid}" 2>/dev/null; do
    sleep 1
  done
  if ! kill -0 "${java_pid}" 2>/dev/null; then
    local status=0
    wait "${java_pid}" || status=$?
    exit "${status}"
  fi
  echo "dynamodb-local: process ${exit_with} ended; stopping DynamoDB Local." >&2
  exit 0
}

case "${1:-}" in
  install)
    shift
    [[ $# -eq 0 ]] || die "install takes no options."
    install
    ;;
  run)
    shift
    run "$@"
    ;;
  path)
    shift
    [[ $# -eq 0 ]] || die "path takes no options."
    is_installed || die "DynamoDB Local is not installed in ${install_dir}; run: $0 install"
    echo "${jar_path}"
    ;;
  -h | --help | help) usage ;;
  *) usage ;;
esac
