#!/usr/bin/env bash
# Launch `litcode fit` the way a cluster job would: a fixed run directory, a log file beside it,
# and resumption from the newest checkpoint when the job is restarted (pre-empted, timed out).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/train.sh [-c CONFIG] [-r RUN_DIR] [-n] [-- EXTRA_LITCODE_FIT_FLAGS...]

  -c CONFIG   training config (default: $LITCODE_CONFIG or configs/default.yaml)
  -r RUN_DIR  run directory, passed as --trainer.default_root_dir
              (default: $LITCODE_RUN_DIR or runs/<config name>)
  -n          dry run: print the command, do not run it
  -h          this help

Resumes from RUN_DIR/checkpoints/last.ckpt when it exists (litcode keeps exactly one, overwritten
in place); otherwise from the checkpoint the remote's latest.json names (remote: the one
RUN_DIR/run.json recorded, else $REMOTE_URL), when one was committed there: downloaded into
$LITCODE_CHECKPOINT_CACHE and its SHA-256 verified against latest.json first (a mismatch stops
the job); otherwise, when RUN_DIR holds a run that saved nothing, starts a new run there
(--resume never). $REMOTE_URL also sets --upload.remote_url.

Environment: LITCODE (the litcode executable; default .venv/bin/litcode, else litcode on PATH),
LITCODE_CACHE_DIR (prepared-data cache), and whatever the Trainer reads (CUDA_VISIBLE_DEVICES,
SLURM_*, MASTER_ADDR, ...), passed through untouched.
Example: scripts/train.sh -c configs/the_stack.yaml -r /scratch/runs/stack -- --trainer.max_steps 50000
USAGE
}

config="${LITCODE_CONFIG:-configs/default.yaml}"
run_dir="${LITCODE_RUN_DIR:-}"
dry_run=0
while getopts ":c:r:nh" option; do
  case "$option" in
    c) config="$OPTARG" ;;
    r) run_dir="$OPTARG" ;;
    n) dry_run=1 ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ "${1:-}" == "--" ]] && shift

if [[ ! -f "$config" ]]; then
  echo "train.sh: config $config not found" >&2
  exit 2
fi
run_dir="${run_dir:-runs/$(basename "$config" .yaml)}"

litcode="${LITCODE:-}"
if [[ -z "$litcode" ]]; then
  if [[ -x .venv/bin/litcode ]]; then litcode=.venv/bin/litcode; else litcode=litcode; fi
fi
# The interpreter litcode runs under: its console script's shebang, else the python beside it.
litcode_path="$(command -v "$litcode" || true)"
python=""
if [[ -n "$litcode_path" ]]; then
  shebang="$(head -n 1 "$litcode_path" 2>/dev/null || true)"
  [[ "$shebang" == "#!"* && -x "${shebang#\#!}" ]] && python="${shebang#\#!}"
  [[ -n "$python" ]] || python="$(dirname "$litcode_path")/python"
fi
[[ -x "$python" ]] || python=python3

export PYTHONUNBUFFERED=1            # log lines reach the job's output as they happen
export TOKENIZERS_PARALLELISM=false  # no fork warnings from the BPE tokenizer in dataloader workers

command=("$litcode" fit --config "$config" --trainer.default_root_dir "$run_dir")
if [[ -n "${REMOTE_URL:-}" ]]; then
  command+=(--upload.remote_url "$REMOTE_URL")
fi

# Resume: the local last.ckpt first (cheapest), else the newest committed remote copy.
checkpoint=""
if [[ -f "$run_dir/checkpoints/last.ckpt" ]]; then
  checkpoint="$run_dir/checkpoints/last.ckpt"
else
  # This run's own remote first (run.json; a run started with --resume never uploads under
  # <remote>/runs/<run id>), else $REMOTE_URL.
  remote=""
  if [[ -f "$run_dir/run.json" ]]; then
    remote="$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1])).get("remote_url") or "")' "$run_dir/run.json" || true)"
  fi
  remote="${remote:-${REMOTE_URL:-}}"
  if [[ -n "$remote" ]]; then
    # Verified remote resume: download the checkpoint latest.json names into the local cache
    # ($LITCODE_CHECKPOINT_CACHE, default ~/.cache/litcode/checkpoints) and check its SHA-256 against
    # latest.json (litcode.callbacks.upload.resolve_latest). A corrupt copy stops the job here, naming
    # both hashes; nothing committed yet means a fresh start. A dry run only says what it would fetch.
    checkpoint="$("$python" - "$remote" "$dry_run" <<'PY'
import sys

from litcode.callbacks.upload.resume import RemoteStore, default_cache_dir, resolve_latest

remote, dry_run = sys.argv[1].rstrip("/"), sys.argv[2] == "1"
try:
    if dry_run:
        print(default_cache_dir(remote) / RemoteStore(remote).read_latest()["checkpoint"])
    else:
        print(resolve_latest(remote))
except FileNotFoundError as error:
    print(f"train.sh: {error}; starting fresh", file=sys.stderr)
except Exception as error:
    print(f"train.sh: cannot resume from {remote}: {error}", file=sys.stderr)
    sys.exit(1)
PY
)" || exit 1
  fi
fi
if [[ -n "$checkpoint" ]]; then
  echo "train.sh: resuming from $checkpoint" >&2
  command+=(--ckpt_path "$checkpoint")
elif [[ -f "$run_dir/run.json" ]]; then
  # A run that saved no checkpoint anywhere (stopped while preparing data): start it over.
  echo "train.sh: $run_dir holds a run with no checkpoint; starting a new run (--resume never)" >&2
  command+=(--resume never)
fi
command+=("$@")

if (( dry_run )); then
  printf '%q ' "${command[@]}"
  echo
  exit 0
fi

mkdir -p "$run_dir"
log="$run_dir/train-$(date -u +%Y%m%dT%H%M%SZ)${SLURM_JOB_ID:+-job$SLURM_JOB_ID}.log"
echo "train.sh: run directory $run_dir, log $log" >&2
"${command[@]}" 2>&1 | tee "$log"
