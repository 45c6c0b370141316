#!/usr/bin/env bash
# Summarise a run and execute both notebooks on it, so the plots are ready to open.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/report.sh RUN_DIR [--no-notebooks]

Prints `litcode report RUN_DIR`, then executes notebooks/inspect_metrics.ipynb and
notebooks/curation_report.ipynb with papermill (parameter run_dir=RUN_DIR) into
RUN_DIR/notebooks/, where they open with their plots (jupyter lab, VS Code, nbviewer).
USAGE
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac
run_dir="$1"
notebooks=1
[[ "${2:-}" == "--no-notebooks" ]] && notebooks=0
[[ -d "$run_dir" ]] || { echo "report.sh: $run_dir is not a directory" >&2; exit 2; }

litcode="${LITCODE:-}"
if [[ -z "$litcode" ]]; then
  if [[ -x .venv/bin/litcode ]]; then litcode=.venv/bin/litcode; else litcode=litcode; fi
fi
"$litcode" report "$run_dir"

if (( notebooks )); then
  bin="$(dirname "$(command -v "$litcode")")"
  papermill="$bin/papermill"
  [[ -x "$papermill" ]] || papermill=papermill
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  mkdir -p "$run_dir/notebooks"
  for name in inspect_metrics curation_report; do
    "$papermill" --no-progress-bar --log-level WARNING "$here/notebooks/$name.ipynb" \
      "$run_dir/notebooks/$name.ipynb" -p run_dir "$(cd "$run_dir" && pwd)"
    echo "notebook: $run_dir/notebooks/$name.ipynb"
  done
fi
