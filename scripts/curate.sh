#!/usr/bin/env bash
# Curate a corpus without training: manifest.sqlite, kept/*.parquet, report.md in OUTPUT_DIR.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/curate.sh SOURCE OUTPUT_DIR [EXTRA_LITCODE_CURATE_FLAGS...]
       scripts/curate.sh -c CONFIG [EXTRA_LITCODE_CURATE_FLAGS...]

  SOURCE      a directory of repositories, a .jsonl(.gz/.zst) or .parquet file, or "stdlib"
              (this interpreter's standard library)
  OUTPUT_DIR  where the manifest, the kept Parquet files and the report go
  -c CONFIG   a litcode curate YAML (source, output_dir, executor, num_workers, curation: {...})

Examples:
  scripts/curate.sh stdlib runs/curated-stdlib --curation.languages '[python]'
  scripts/curate.sh data/the-stack/python runs/curated-stack --num_workers 16 --curation.min_stars 5
USAGE
}

litcode="${LITCODE:-}"
if [[ -z "$litcode" ]]; then
  if [[ -x .venv/bin/litcode ]]; then litcode=.venv/bin/litcode; else litcode=litcode; fi
fi

case "${1:-}" in
  -h|--help|"") usage; [[ -n "${1:-}" ]]; exit $? ;;
  -c) [[ $# -ge 2 ]] || { usage >&2; exit 2; }
      config="$2"; shift 2
      exec "$litcode" curate --config "$config" "$@" ;;
esac

[[ $# -ge 2 ]] || { usage >&2; exit 2; }
source_path="$1" output_dir="$2"
shift 2
source_flags=(--source "$source_path")
[[ "$source_path" == "stdlib" ]] && source_flags=()
exec "$litcode" curate "${source_flags[@]}" --output_dir "$output_dir" "$@"
