#!/usr/bin/env bash
# Registers an Orleans.Batch job definition from deploy/job-definitions/ with the AWS CLI (for accounts that do
# not use the CloudFormation stack, which registers its own). See deploy/README.md.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
definitions_dir="$(cd "${script_dir}/../job-definitions" && pwd)"
program="$(basename "$0")"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

usage() {
  cat <<EOF
Usage: ${program} KIND --image URI --job-role-arn ARN --log-group NAME [options]

Registers a new revision of an Orleans.Batch job definition (aws batch register-job-definition) from
deploy/job-definitions/KIND.json and prints its ARN.

  KIND                        silo, manager or fargate-silo (or the path of a job definition JSON file)

Required:
  --image URI                 the Launcher image (build-and-push.sh prints it)
  --job-role-arn ARN          the IAM role the container runs as (silo or manager permissions, deploy/README.md)
  --log-group NAME            the CloudWatch Logs group of the job's output (it must exist)

Options:
  --execution-role-arn ARN    the ECS execution role (image pull, logs); required for fargate-silo
  --name NAME                 the job definition's name (default: the file's, e.g. orleans-batch-silo)
  --vcpus N                   vCPUs (default: 2 for silos, 1 for the manager)
  --memory MIB                memory in MiB (default: 3584 for silos, 4096 on Fargate, 2048 for the manager)
  --timeout SECONDS           job timeout, at least 60 (default: the file's: 14400 silo, 16200 manager)
  --silo-definition NAME      manager: the job definition of its silos (default orleans-batch-silo)
  --table NAME                manager: the DynamoDB membership table (default OrleansBatchMembership)
  --region REGION             AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the AWS CLI's)
  --dry-run                   print the request JSON instead of registering it
  -h, --help                  show this help
EOF
}

kind=""
image="" job_role="" execution_role="" log_group="" name="" vcpus="" memory="" timeout=""
silo_definition="orleans-batch-silo" table="OrleansBatchMembership" region="" dry_run=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry_run=true; shift ;;
    --image | --job-role-arn | --execution-role-arn | --log-group | --name | --vcpus | --memory | --timeout | \
      --silo-definition | --table | --region)
      [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"
      case "$1" in
        --image) image=$2 ;;
        --job-role-arn) job_role=$2 ;;
        --execution-role-arn) execution_role=$2 ;;
        --log-group) log_group=$2 ;;
        --name) name=$2 ;;
        --vcpus) vcpus=$2 ;;
        --memory) memory=$2 ;;
        --timeout) timeout=$2 ;;
        --silo-definition) silo_definition=$2 ;;
        --table) table=$2 ;;
        --region) region=$2 ;;
      esac
      shift 2 ;;
    -*) usage_error "unknown option '$1'" ;;
    *)
      [[ -z ${kind} ]] || usage_error "unexpected argument '$1' (KIND is already '${kind}')"
      kind=$1; shift ;;
  esac
done

[[ -n ${kind} ]] || usage_error "KIND is required: silo, manager or fargate-silo"
case "${kind}" in
  silo | manager | fargate-silo) file="${definitions_dir}/${kind}.json" ;;
  *) file=${kind} ;;
esac
[[ -f ${file} ]] || usage_error "no job definition file '${file}' (KIND is silo, manager, fargate-silo or a file)"

[[ -n ${image} ]] || usage_error "--image is required"
[[ -n ${job_role} ]] || usage_error "--job-role-arn is required"
[[ -n ${log_group} ]] || usage_error "--log-group is required"
fargate=false
grep -q '"FARGATE"' "${file}" && fargate=true
if ${fargate} && [[ -z ${execution_role} ]]; then
  usage_error "--execution-role-arn is required for a Fargate job definition"
fi

is_manager=false
grep -q '{{SILO_DEFINITION}}' "${file}" && is_manager=true
if ${is_manager}; then
  : "${vcpus:=1}" "${memory:=2048}"
elif ${fargate}; then
  : "${vcpus:=2}" "${memory:=4096}"
else
  : "${vcpus:=2}" "${memory:=3584}"
fi

if [[ -z ${region} ]]; then
  region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
fi
if [[ -z ${region} ]] && command -v aws >/dev/null 2>&1; then
  region=$(aws configure get region 2>/dev/null || true)
fi
[[ -n ${region} ]] || usage_error "no AWS region: pass --region or set AWS_REGION"

arn_role='^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'
check --image "${image}" '^[A-Za-z0-9][A-Za-z0-9._/:@-]*$' "an image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/orleans-batch:1a2b3c4"
check --job-role-arn "${job_role}" "${arn_role}" "an IAM role ARN"
[[ -z ${execution_role} ]] || check --execution-role-arn "${execution_role}" "${arn_role}" "an IAM role ARN"
check --log-group "${log_group}" '^[A-Za-z0-9._/#-]{1,512}$' "a CloudWatch Logs group name"
[[ -z ${name} ]] || check --name "${name}" '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$' "1-128 letters, digits, hyphens or underscores"
check --vcpus "${vcpus}" '^([0-9]+|0?\.[0-9]+)$' "a positive number of vCPUs"
check --memory "${memory}" '^[1-9][0-9]*$' "a positive number of MiB"
[[ -z ${timeout} ]] || check --timeout "${timeout}" '^[1-9][0-9]*$' "a number of seconds"
[[ -z ${timeout} || ${timeout} -ge 60 ]] || usage_error "--timeout must be at least 60 (the AWS Batch minimum), got '${timeout}'"
check --silo-definition "${silo_definition}" '^[A-Za-z0-9][A-Za-z0-9_:/.-]*$' "a job definition name, name:revision or ARN"
check --table "${table}" '^[A-Za-z0-9_.-]{3,255}$' "a DynamoDB table name"
check --region "${region}" '^[a-z]{2}(-[a-z]+)+-[0-9]+$' "an AWS region such as us-east-1"

substitutions=(
  -e "s|{{IMAGE}}|${image}|g"
  -e "s|{{JOB_ROLE_ARN}}|${job_role}|g"
  -e "s|{{LOG_GROUP}}|${log_group}|g"
  -e "s|{{REGION}}|${region}|g"
  -e "s|{{VCPUS}}|${vcpus}|g"
  -e "s|{{MEMORY}}|${memory}|g"
  -e "s|{{SILO_DEFINITION}}|${silo_definition}|g"
  -e "s|{{TABLE}}|${table}|g"
)
if [[ -n ${execution_role} ]]; then
  substitutions+=(-e "s|{{EXECUTION_ROLE_ARN}}|${execution_role}|g")
else
  # The member is optional on EC2 (the instance role pulls the image and writes logs there).
  substitutions+=(-e '/"executionRoleArn": "{{EXECUTION_ROLE_ARN}}",/d')
fi
[[ -z ${name} ]] || substitutions+=(-e "s|\"jobDefinitionName\": \"[^\"]*\"|\"jobDefinitionName\": \"${name}\"|")
[[ -z ${timeout} ]] || substitutions+=(-e "s|\"attemptDurationSeconds\": [0-9]*|\"attemptDurationSeconds\": ${timeout}|")

request=$(sed "${substitutions[@]}" "${file}")
if [[ ${request} == *"{{"* ]]; then
  die "${file} has a placeholder this script does not fill: $(grep -o '{{[A-Z_]*}}' <<<"${request}" | sort -u | tr '\n' ' ')"
fi

if ${dry_run}; then
  printf '%s\n' "${request}"
  exit 0
fi

command -v aws >/dev/null 2>&1 || die "the AWS CLI (aws) is not on PATH: see https://aws.amazon.com/cli/"
request_file=$(mktemp)
trap 'rm -f "${request_file}"' EXIT
printf '%s\n' "${request}" >"${request_file}"
aws batch register-job-definition --region "${region}" --cli-input-json "file://${request_file}" \
  --query jobDefinitionArn --output text
