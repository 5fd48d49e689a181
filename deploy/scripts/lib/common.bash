# Shared by deploy/scripts/*.sh (sourced, not run). Callers set `program` first.

# An environment or AWS failure: exit code 1.
die() {
  echo "${program}: $*" >&2
  exit 1
}

# Bad input: exit code 2, with a pointer to --help.
usage_error() {
  echo "${program}: $*" >&2
  echo "Run '${program} --help' for usage." >&2
  exit 2
}

# Every value ends up inside a JSON string and a sed replacement: accept only characters that need no escaping.
check() {
  local flag=$1 value=$2 pattern=$3 what=$4
  [[ ${value} =~ ${pattern} ]] || usage_error "${flag} must be ${what}, got '${value}'"
}
