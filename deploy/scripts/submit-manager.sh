#!/usr/bin/env bash
# Submits the Orleans.Batch manager as an AWS Batch job. Inside Batch the manager takes its queue from its own job,
# launches its silos as one array job, runs the workload and releases everything. See deploy/README.md.
set -euo pipefail

program="$(basename "$0")"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

usage() {
  cat <<EOF
Usage: ${program} --queue QUEUE --definition DEFINITION [options] [-- LAUNCHER_FLAGS...]

Submits the Orleans.Batch manager (the Launcher) as an AWS Batch job and prints its job id.

Required:
  --queue QUEUE               the job queue (name or ARN); the silos go to the same queue
  --definition DEFINITION     the manager job definition (name, name:revision or ARN)

Options:
  --silos N                   sets the definition's 'silos' parameter (its default command uses it)
  --workload NAME             sets the definition's 'workload' parameter
  --silo-definition DEF       passed to the Launcher as --definition (with LAUNCHER_FLAGS)
  --table NAME                passed to the Launcher as --table (with LAUNCHER_FLAGS)
  --name NAME                 the job's name (default orleans-batch-manager)
  --timeout SECONDS           the manager job's timeout, at least 60 (default: the definition's)
  --region REGION             AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the AWS CLI's)
  --dry-run                   print the request JSON instead of submitting it
  -h, --help                  show this help

LAUNCHER_FLAGS after -- replace the definition's default command, e.g.
  ${program} --queue orleans-batch --definition orleans-batch-manager \\
      --silo-definition orleans-batch-silo -- --silos 8 --workload montecarlo --max-runtime 1h
The default command names the silo job definition and the table; a replacement must name them again
(--silo-definition, --table), or the manager launches its silos with its own definition and role.
EOF
}

# A JSON string literal: the Launcher flags are free text.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  printf '"%s"' "${s}"
}

queue="" definition="" silos="" workload="" silo_definition="" table="" name="orleans-batch-manager"
timeout="" region="" dry_run=false
launcher_flags=()
has_launcher_flags=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry_run=true; shift ;;
    --) shift; launcher_flags=("$@"); has_launcher_flags=true; break ;;
    --queue | --definition | --silos | --workload | --silo-definition | --table | --name | --timeout | --region)
      [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"
      case "$1" in
        --queue) queue=$2 ;;
        --definition) definition=$2 ;;
        --silos) silos=$2 ;;
        --workload) workload=$2 ;;
        --silo-definition) silo_definition=$2 ;;
        --table) table=$2 ;;
        --name) name=$2 ;;
        --timeout) timeout=$2 ;;
        --region) region=$2 ;;
      esac
      shift 2 ;;
    *) usage_error "unknown option '$1' (Launcher flags go after --)" ;;
  esac
done

[[ -n ${queue} ]] || usage_error "--queue is required"
[[ -n ${definition} ]] || usage_error "--definition is required"
if ! ${has_launcher_flags} && [[ -n ${silo_definition} || -n ${table} ]]; then
  usage_error "--silo-definition and --table apply with LAUNCHER_FLAGS after --; without them the definition's default command already names both"
fi
if ${has_launcher_flags} && [[ -n ${silos} || -n ${workload} ]]; then
  usage_error "--silos and --workload set the default command's parameters; with LAUNCHER_FLAGS pass --silos and --workload after --"
fi

if [[ -z ${region} ]]; then
  region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
fi
if [[ -z ${region} ]] && command -v aws >/dev/null 2>&1; then
  region=$(aws configure get region 2>/dev/null || true)
fi
[[ -n ${region} ]] || usage_error "no AWS region: pass --region or set AWS_REGION"

resource='^[A-Za-z0-9][A-Za-z0-9_:/.-]*$'
check --queue "${queue}" "${resource}" "a job queue name or ARN"
check --definition "${definition}" "${resource}" "a job definition name, name:revision or ARN"
[[ -z ${silo_definition} ]] || check --silo-definition "${silo_definition}" "${resource}" "a job definition name, name:revision or ARN"
[[ -z ${silos} ]] || check --silos "${silos}" '^[0-9]+(:[0-9]+)?$' "N or MIN:MAX"
[[ -z ${workload} ]] || check --workload "${workload}" '^[A-Za-z0-9_-]+$' "a workload name"
[[ -z ${table} ]] || check --table "${table}" '^[A-Za-z0-9_.-]{3,255}$' "a DynamoDB table name"
check --name "${name}" '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$' "1-128 letters, digits, hyphens or underscores"
[[ -z ${timeout} ]] || check --timeout "${timeout}" '^[1-9][0-9]*$' "a number of seconds"
[[ -z ${timeout} || ${timeout} -ge 60 ]] || usage_error "--timeout must be at least 60 (the AWS Batch minimum), got '${timeout}'"
check --region "${region}" '^[a-z]{2}(-[a-z]+)+-[0-9]+$' "an AWS region such as us-east-1"

request="{
  \"jobName\": \"${name}\",
  \"jobQueue\": \"${queue}\",
  \"jobDefinition\": \"${definition}\","
if [[ -n ${silos} || -n ${workload} ]]; then
  parameters=""
  [[ -z ${silos} ]] || parameters+="\"silos\": \"${silos}\""
  [[ -z ${workload} ]] || parameters+="${parameters:+, }\"workload\": \"${workload}\""
  request+="
  \"parameters\": { ${parameters} },"
fi
if ${has_launcher_flags}; then
  command=()
  [[ -z ${silo_definition} ]] || command+=("$(json_string --definition)" "$(json_string "${silo_definition}")")
  [[ -z ${table} ]] || command+=("$(json_string --table)" "$(json_string "${table}")")
  for flag in "${launcher_flags[@]}"; do
    command+=("$(json_string "${flag}")")
  done
  joined=""
  for part in "${command[@]}"; do
    joined+="${joined:+, }${part}"
  done
  request+="
  \"containerOverrides\": { \"command\": [${joined}] },"
fi
if [[ -n ${timeout} ]]; then
  request+="
  \"timeout\": { \"attemptDurationSeconds\": ${timeout} },"
fi
# The manager's cluster id is its own job id, known only once submitted; the silo jobs carry it.
request+="
  \"propagateTags\": true,
  \"tags\": { \"orleans-batch:tool\": \"orleans-batch\", \"orleans-batch:role\": \"manager\" }
}"

if ${dry_run}; then
  printf '%s\n' "${request}"
  exit 0
fi

command -v aws >/dev/null 2>&1 || die "the AWS CLI (aws) is not on PATH: see https://aws.amazon.com/cli/"
request_file=$(mktemp)
trap 'rm -f "${request_file}"' EXIT
printf '%s\n' "${request}" >"${request_file}"
job_id=$(aws batch submit-job --region "${region}" --cli-input-json "file://${request_file}" --query jobId --output text)
echo "${job_id}"
cat >&2 <<EOF
Submitted the manager as job ${job_id}. Follow it with
  aws batch describe-jobs --region ${region} --jobs ${job_id} --query 'jobs[0].[status,statusReason,container.logStreamName]'
and read its output in CloudWatch Logs (the stream above, in the job definition's log group).
Stop it (it then tears its silos down) with
  aws batch terminate-job --region ${region} --job-id ${job_id} --reason 'stopped by user'
EOF
