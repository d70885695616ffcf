#!/usr/bin/env bash
# Paired comparison of two hadath builds on the same work (issue #7):
#
#   scripts/compare.sh BASE NEW [WORKDIR]   # default WORKDIR: /tmp/hadath-bench
#
# BASE and NEW are each a git revision of this repository (built into
# WORKDIR) or the path of a hadath binary. The work is scripts/bench.sh's
# end-to-end run: the 500k-name gazetteer and ~50 MB of Arabic news text
# (generated into WORKDIR when missing), one worker. Environment: ROUNDS
# (default 8), WORKERS (default 1), ARGS (more flags for hadath extract,
# e.g. ARGS="--config my.yaml"), DEFAULT=1 to use the embedded gazetteers
# instead of the 500k names, LONG=1 to run on the same text in 126 long
# documents (text-long.jsonl).
#
# On a shared machine the speed of a run depends on what else runs, and
# that drifts over minutes: two builds timed one after the other, a few
# times each, differ by more than most changes do. compare.sh runs the two
# in rounds, back to back, in the order A B, then B A (so that neither is
# always first), and reports for each round NEW's CPU seconds (user + sys)
# over BASE's, then the median and the range of these paired ratios: a
# ratio of 0.96 is NEW 4% cheaper. It also checks that both wrote the same
# output, byte for byte, and stops if not.
set -euo pipefail

if (($# < 2)); then
	sed -n '2,20p' "$0" >&2
	exit 2
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE=$1
NEW=$2
W=${3:-/tmp/hadath-bench}
ROUNDS=${ROUNDS:-8}
WORKERS=${WORKERS:-1}
mkdir -p "$W"

# build REV-OR-PATH NAME: prints the path of a binary
build() {
	local spec=$1 name=$2
	if [[ -f "$spec" && -x "$spec" ]]; then
		echo "$spec"
		return
	fi
	local rev
	rev=$(git rev-parse --verify --quiet "$spec^{commit}") || {
		echo "compare.sh: $spec is neither a binary nor a revision" >&2
		exit 2
	}
	local src="$W/src-$name"
	rm -rf "$src"
	mkdir -p "$src"
	git archive "$rev" | tar -x -C "$src"
	(cd "$src" && go build -o "$W/hadath-$name" ./cmd/hadath) >&2
	rm -rf "$src"
	echo "$W/hadath-$name"
}
A=$(build "$BASE" base)
B=$(build "$NEW" new)

if [[ -z "${DEFAULT:-}" && ! -s "$W/big.yaml" || ! -s "$W/text.jsonl" ]]; then
	go run ./scripts/benchgen -out "$W" -names "${NAMES:-500000}" -mb "${MB:-50}" -root "$ROOT"
elif [[ ! -s "$W/text-long.jsonl" ]]; then
	go run ./scripts/benchgen -out "$W" -long-only
fi
INPUT="$W/text.jsonl"
if [[ -n "${LONG:-}" ]]; then
	INPUT="$W/text-long.jsonl"
fi
GAZ=(--no-default-gazetteers --gazetteer "$W/big.yaml")
if [[ -n "${DEFAULT:-}" ]]; then
	GAZ=()
fi
# shellcheck disable=SC2206 # ARGS is split on purpose
EXTRA=(${ARGS:-})
: > "$W/empty.jsonl"
export XDG_CACHE_HOME="$W/cache"
# warm the page cache and the compiled-index cache of both
for bin in "$A" "$B"; do
	"$bin" extract "${GAZ[@]}" --log-level warn "${EXTRA[@]}" "$W/empty.jsonl" < /dev/null > /dev/null 2>&1 || true
done

if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true 2>/dev/null; then
	TIMECMD=(/usr/bin/time -f '%e %U %S' -o)
else
	echo "compare.sh: needs GNU time (/usr/bin/time; Debian: apt-get install time)" >&2
	exit 2
fi
# run BIN OUT: times one run into OUT.time, its output's md5 into OUT.md5
run() {
	"${TIMECMD[@]}" "$2.time" "$1" extract "${GAZ[@]}" --log-level warn --workers "$WORKERS" "${EXTRA[@]}" \
		"$INPUT" | md5sum | cut -d' ' -f1 > "$2.md5"
}
echo "== base: $BASE ($A)"
echo "== new:  $NEW ($B)"
echo "== $ROUNDS rounds, $WORKERS worker(s), $(basename "$INPUT"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %10s %10s %8s\n' round base-cpu new-cpu new/base
: > "$W/compare.ratios"
for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then
		run "$A" "$W/cmp-a"
		run "$B" "$W/cmp-b"
	else
		run "$B" "$W/cmp-b"
		run "$A" "$W/cmp-a"
	fi
	if ! cmp -s "$W/cmp-a.md5" "$W/cmp-b.md5"; then
		echo "compare.sh: the outputs differ (md5 $(cat "$W/cmp-a.md5") base, $(cat "$W/cmp-b.md5") new)" >&2
		exit 1
	fi
	ca=$(awk '{printf "%.2f", $2 + $3}' "$W/cmp-a.time")
	cb=$(awk '{printf "%.2f", $2 + $3}' "$W/cmp-b.time")
	ratio=$(awk -v a="$ca" -v b="$cb" 'BEGIN { printf "%.3f", b / a }')
	echo "$ratio" >> "$W/compare.ratios"
	printf '%-6s %10s %10s %8s\n' "$r" "$ca" "$cb" "$ratio"
done
sort -n "$W/compare.ratios" | awk '{a[NR] = $1} END {
	m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	printf "new/base CPU: median %.3f, range %.3f-%.3f over %d rounds (below 1: new is cheaper); outputs identical\n", m, a[1], a[NR], NR
}'
