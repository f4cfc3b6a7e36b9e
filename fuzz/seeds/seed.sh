#!/usr/bin/env bash
# Seeds each target's corpus from the repository's fixtures: the example
# project, tests/fixtures and the TMX and inline-markup samples beside this
# script. Re-run after fixtures change; the seeds are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=..
seed() { # target name file
  mkdir -p "corpus/$1"
  cp "$3" "corpus/$1/seed-$2"
}
for f in "$root"/articles/*.txt "$root"/tests/fixtures/*/articles/*.txt; do
  seed ingest_text "$(basename "$f")" "$f"
done
for f in "$root"/tests/fixtures/*/articles/*.md "$root"/README.md; do
  seed ingest_markdown "$(basename "$f")" "$f"
  seed protect_roundtrip "$(basename "$f")" "$f"
done
for f in "$root"/tests/fixtures/*/articles/*.html; do
  seed ingest_html "$(basename "$f")" "$f"
done
for f in "$root"/locales/*/*.ftl; do
  seed fluent_parse "$(basename "$(dirname "$f")")-$(basename "$f")" "$f"
done
for f in "$root"/pipelines/*.toml "$root"/tests/fixtures/*/pipelines/*.toml; do
  seed pipeline_config "$(basename "$f")" "$f"
done
for f in seeds/*.tmx; do
  seed tmx_import "$(basename "$f")" "$f"
done
for f in seeds/*.inline.md; do
  seed protect_roundtrip "$(basename "$f")" "$f"
done
# Structured (arbitrary) input: any bytes decode; the article gives words.
for f in "$root"/tests/fixtures/*/articles/*.txt; do
  seed fluent_merge "$(basename "$f")" "$f"
done
