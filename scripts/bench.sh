#!/usr/bin/env bash
# Throughput of hadath against grep and cat (issue #7), in one run:
#
#   scripts/bench.sh [WORKDIR]        # default WORKDIR: /tmp/hadath-bench
#
# Environment: NAMES (default 500000), MB (text size, default 50), MARGINAL=1, HUGE=1,
# WORKERS (the multi-worker run, default: nproc), REPS (rounds of the timed
# runs, default 3), SKIP_GEN=1 to reuse the data of a previous run,
# HADATH_BIN=path to time a prebuilt binary.
#
# It generates (scripts/benchgen) the 500k-name gazetteer (big.yaml for
# hadath, names.txt for grep -f) and ~MB of Arabic news text (text.jsonl for
# hadath, text.txt with the same texts one per line), then times:
#   cat          text.txt > /dev/null                   (the I/O floor)
#   grep         grep -F -o -w -f names.txt text.txt    (LC_ALL=C.UTF-8),
#                its output through a pipe to wc -l: GNU grep stops at
#                the first match when its output is /dev/null (it then
#                acts as grep -q), so grep > /dev/null times its compile
#                and almost none of its scan. Its CPU time when its first
#                line of output arrives (/proc/PID/stat; the text's first
#                match is in its first line) is its compile: the rest is
#                its scan. grep's compile moves by ±1 s from run to run,
#                so it is split within the run and not taken from another.
#   load-cold    hadath extract --no-cache on empty input with big.yaml
#                (YAML parse + index compile + build)
#   load         the same from the compiled index cache (warm start-up)
#   e2e          hadath extract --no-default-gazetteers --gazetteer big.yaml
#   e2e-long     the same on text-long.jsonl: the same text in 126
#                documents of ~400 KB (64 texts each), 1 worker
#   gaz-only     the same with stages [normalize, sentences, gazetteer]
#   e2e-default  hadath extract with the embedded gazetteers (reference)
# and prints MB/s (text.txt bytes / wall seconds), the same net of the
# load time, peak RSS and the ratios. The timed runs (all but cat and the
# cold load) are repeated REPS times, one round after another, so that a
# burst of load elsewhere on a shared machine hits one round and not one
# program; every figure is the median of its rounds (peak RSS: the
# largest), and the per-core figures print their range.
# With HUGE=1 each round also times hadath (1 worker) on text-huge.jsonl:
# the same text in 8 documents of ~7 MB (see docs/SCALE.md, Long documents).
# With MARGINAL=1 each round also times grep and hadath (1 worker) on the
# text three times over (text3.txt, text3.jsonl), and prints the ratio of
# their marginal CPU per byte, (run on 3x - run on 1x) / (2 x text): a
# second measure of the scans that needs no split of grep's run, as what
# either program does once (compiling, loading, anything lazy) cancels out.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
W=${1:-/tmp/hadath-bench}
NAMES=${NAMES:-500000}
MB=${MB:-50}
NPROC=$(nproc)
WORKERS=${WORKERS:-$NPROC}
REPS=${REPS:-3}
mkdir -p "$W"

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(go version | cut -d' ' -f3-)"

if [[ -n "${HADATH_BIN:-}" ]]; then
	cp "$HADATH_BIN" "$W/hadath.bin" && mv "$W/hadath.bin" "$W/hadath"
else
	go build -o "$W/hadath" ./cmd/hadath
fi
if [[ "${SKIP_GEN:-}" != 1 || ! -s "$W/text.txt" ]]; then
	go run ./scripts/benchgen -out "$W" -names "$NAMES" -mb "$MB" -root "$ROOT"
elif [[ ! -s "$W/text-long.jsonl" ]]; then
	go run ./scripts/benchgen -out "$W" -long-only
fi
if [[ "${HUGE:-}" == 1 && ( ! -s "$W/text-huge.jsonl" || "$W/text.txt" -nt "$W/text-huge.jsonl" ) ]]; then
	go run ./scripts/benchgen -out "$W" -huge-only
fi
if [[ "${MARGINAL:-}" == 1 && ( ! -s "$W/text3.jsonl" || "$W/text.jsonl" -nt "$W/text3.jsonl" ) ]]; then
	cat "$W/text.txt" "$W/text.txt" "$W/text.txt" > "$W/text3.txt"
	cat "$W/text.jsonl" "$W/text.jsonl" "$W/text.jsonl" > "$W/text3.jsonl"
fi
cat > "$W/gaz-only.yaml" <<EOF
stages: [normalize, sentences, gazetteer]
EOF
: > "$W/empty.jsonl"

BYTES=$(stat -c %s "$W/text.txt")
DOCS=$(wc -l < "$W/text.txt")
echo "== text: $BYTES bytes, $DOCS documents; gazetteer: $(wc -l < "$W/names.txt") names"

# timeit NAME CMD...: runs CMD with its output to /dev/null (with PIPE=1:
# through a pipe to wc -l, whose count goes to $W/NAME.lines) and appends
# "wall-seconds peak-RSS-KB user-seconds system-seconds" to $W/NAME.time.
# CPU seconds matter on a shared machine: wall time there depends on what
# else runs, CPU time much less.
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true 2>/dev/null; then
	TIMECMD=(/usr/bin/time -f '%e %M %U %S' -o)
elif command time -f '%e' true 2>/dev/null; then
	TIMECMD=(command time -f '%e %M %U %S' -o)
else
	TIMECMD=()
fi
timeit() {
	local name=$1
	shift
	if ((${#TIMECMD[@]})); then
		if [[ "${PIPE:-}" == 1 ]]; then
			{ "${TIMECMD[@]}" "$W/$name.t1" "$@" 2> "$W/$name.err" || true; } | wc -l > "$W/$name.lines"
		else
			"${TIMECMD[@]}" "$W/$name.t1" "$@" > /dev/null 2> "$W/$name.err" || true
		fi
		tail -n 1 "$W/$name.t1" >> "$W/$name.time"
	else
		# no GNU time: bash's time for wall and CPU, peak RSS from /proc
		local peak=0 pid rss t TIMEFORMAT='%R %U %S'
		local out=/dev/null
		[[ "${PIPE:-}" == 1 ]] && out=$W/$name.out
		t=$( { time { "$@" > "$out" 2> "$W/$name.err" & pid=$!
			while kill -0 "$pid" 2>/dev/null; do
				rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
				((rss > peak)) && peak=$rss
				sleep 0.1
			done
			wait "$pid" || true
			echo "$peak" > "$W/$name.peak"; }; } 2>&1)
		if [[ "$out" != /dev/null ]]; then
			wc -l < "$out" > "$W/$name.lines"
			rm -f "$out"
		fi
		echo "$t $(cat "$W/$name.peak")" | awk '{print $1, $4, $2, $3}' >> "$W/$name.time"
	fi
	tail -n 1 "$W/$name.time"
}
# timegrep: times grep as timeit does (output through a pipe to wc -l) and
# appends to $W/grep-compile.time the CPU seconds grep had used when its
# first line of output arrived, as "0 0 user 0" (timeit's columns)
timegrep() {
	if ((${#TIMECMD[@]})) && [[ -r /proc/self/stat ]]; then
		local tck
		tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
		rm -f "$W/grep.pid"
		LC_ALL=C.UTF-8 "${TIMECMD[@]}" "$W/grep.t1" sh -c 'echo $$ > "$0"; exec "$@"' "$W/grep.pid" \
			grep -F -o -w -f "$W/names.txt" "$W/text.txt" 2> "$W/grep.err" |
			{
				IFS= read -r _ || true
				awk -v t="$tck" '{printf "0 0 %.2f 0\n", ($14 + $15) / t}' "/proc/$(cat "$W/grep.pid")/stat" >> "$W/grep-compile.time"
				echo $(($(wc -l) + 1)) > "$W/grep.lines"
			} || true
		tail -n 1 "$W/grep.t1" >> "$W/grep.time"
		tail -n 1 "$W/grep.time"
	else
		PIPE=1 LC_ALL=C.UTF-8 timeit grep grep -F -o -w -f "$W/names.txt" "$W/text.txt"
		LC_ALL=C.UTF-8 timeit grep-compile grep -F -o -w -f "$W/names.txt" "$W/empty.jsonl"
	fi
}
# median of the numbers on stdin (one per line); lo/hi: the extremes
median() { sort -n | awk '{a[NR] = $1} END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
secs() { awk '{print $1}' "$W/$1.time" | median; }
cpu() { awk '{printf "%.2f\n", $3 + $4}' "$W/$1.time" | median; }
rss() { awk '{printf "%.0f\n", $2/1024}' "$W/$1.time" | sort -n | tail -n 1; }
mbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN { if (s <= 0) print "-"; else printf "%.2f", b/1048576/s }'; }

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) (wall times are only meaningful on an idle machine)"
H="$W/hadath"
BIG=(--no-default-gazetteers --gazetteer "$W/big.yaml" --log-level warn)

rm -f "$W"/*.time
echo "== cat (twice, the second with a warm page cache)"
timeit cat cat "$W/text.txt" > /dev/null
rm -f "$W/cat.time"
timeit cat cat "$W/text.txt"
# the compiled gazetteer index is cached under $XDG_CACHE_HOME/hadath: a
# private, empty cache folder makes the first load cold
export XDG_CACHE_HOME="$W/cache"
rm -rf "$XDG_CACHE_HOME"
echo "== hadath: cold load only (big.yaml parsed and compiled, --no-cache, empty input)"
timeit load-cold "$H" extract "${BIG[@]}" --no-cache "$W/empty.jsonl"
"$H" extract "${BIG[@]}" "$W/empty.jsonl" > /dev/null 2>&1 # writes the cache
for ((round = 1; round <= REPS; round++)); do
	echo "== round $round of $REPS"
	echo "== grep -F -o -w -f names.txt (LC_ALL=C.UTF-8), output through a pipe"
	timegrep
	echo "== hadath: warm load only (compiled index from the cache, empty input)"
	timeit load "$H" extract "${BIG[@]}" "$W/empty.jsonl"
	echo "== hadath: load only (default gazetteers)"
	timeit load-default "$H" extract --log-level warn "$W/empty.jsonl"
	echo "== hadath end to end, 500k names, --workers 1"
	timeit e2e-1 "$H" extract "${BIG[@]}" --workers 1 "$W/text.jsonl"
	echo "== hadath end to end, 500k names, --workers $WORKERS"
	timeit e2e-n "$H" extract "${BIG[@]}" --workers "$WORKERS" "$W/text.jsonl"
	echo "== hadath end to end, 500k names, --workers 1, long documents"
	timeit e2e-long-1 "$H" extract "${BIG[@]}" --workers 1 "$W/text-long.jsonl"
	echo "== hadath gazetteer-only, 500k names, --workers 1"
	timeit gaz-1 "$H" extract "${BIG[@]}" --config "$W/gaz-only.yaml" --workers 1 "$W/text.jsonl"
	echo "== hadath end to end, default gazetteers, --workers 1"
	timeit e2e-default-1 "$H" extract --log-level warn --workers 1 "$W/text.jsonl"
	if [[ "${HUGE:-}" == 1 ]]; then
		echo "== hadath end to end, 500k names, --workers 1, documents of ~7 MB"
		timeit e2e-huge-1 "$H" extract "${BIG[@]}" --workers 1 "$W/text-huge.jsonl"
	fi
	if [[ "${MARGINAL:-}" == 1 ]]; then
		echo "== grep on the text three times over"
		PIPE=1 LC_ALL=C.UTF-8 timeit grep3 grep -F -o -w -f "$W/names.txt" "$W/text3.txt"
		echo "== hadath end to end, 500k names, --workers 1, on the text three times over"
		timeit e2e3-1 "$H" extract "${BIG[@]}" --workers 1 "$W/text3.jsonl"
	fi
done

LOAD=$(secs load)
LOADD=$(secs load-default)
LOADC=$(cpu load)
LOADDC=$(cpu load-default)
sub() { awk -v a="$1" -v l="$2" 'BEGIN { printf "%.2f", a - l }'; }

echo
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %8s %8s %8s %8s %10s %8s\n' run wall-s cpu-s MB/s "MB/s-net" "MB/cpu-s" "peak-MB"
row() { # name label load-wall load-cpu
	local s c
	s=$(secs "$1")
	c=$(cpu "$1")
	printf '%-32s %8s %8s %8s %8s %10s %8s\n' "$2" "$s" "$c" "$(mbps "$s")" "$(mbps "$(sub "$s" "$3")")" \
		"$(mbps "$(sub "$c" "$4")")" "$(rss "$1")"
}
row cat "cat" 0 0
row grep "grep -Fowf names.txt | wc -l" 0 0
row grep-compile "grep compile (at 1st output)" 0 0
row load-cold "hadath cold load (500k YAML)" 0 0
row load "hadath warm load (500k, cached)" 0 0
row load-default "hadath load (default)" 0 0
row e2e-1 "hadath e2e 500k, 1 worker" "$LOAD" "$LOADC"
row e2e-n "hadath e2e 500k, $WORKERS workers" "$LOAD" "$LOADC"
row e2e-long-1 "hadath e2e 500k, long docs, 1 w" "$LOAD" "$LOADC"
[[ "${HUGE:-}" == 1 ]] && row e2e-huge-1 "hadath e2e 500k, ~7 MB docs, 1 w" "$LOAD" "$LOADC"
row gaz-1 "hadath gaz-only 500k, 1 worker" "$LOAD" "$LOADC"
row e2e-default-1 "hadath e2e default, 1 worker" "$LOADD" "$LOADDC"
echo "MB/s: text MB / wall s; MB/s-net: the same without the load (reading and compiling"
echo "resources); MB/cpu-s: text MB / (user+sys s - load user+sys s), the per-core figure."

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else printf "%.2f", a/b }'; }
E1=$(sub "$(secs e2e-1)" "$LOAD")
G1C=$(sub "$(cpu gaz-1)" "$LOADC")
echo
# perRound FORMULA A B [C]: the awk FORMULA for every round, in order, of
# aw, ac (wall and CPU seconds of run A's round), bw, bc (run B's), cw, cc
# (run C's, when given), lw, lc (the median load's) and mb (the text's bytes)
perRound() {
	local c=$W/$3.time
	[[ -n "${4:-}" ]] && c=$W/$4.time
	paste -d' ' "$W/$2.time" "$W/$3.time" "$c" | awk -v lw="$LOAD" -v lc="$LOADC" -v mb="$BYTES" \
		"{ aw=\$1; ac=\$3+\$4; bw=\$5; bc=\$7+\$8; cw=\$9; cc=\$11+\$12; printf \"%s%.2f\", (NR>1?\" \":\"\"), $1 }"
}
# roundMedian: the median of perRound's figures
roundMedian() { tr ' ' '\n' | median; }
GR=$(perRound 'ac/bc' grep e2e-1)
GS=$(perRound '(ac-cc)/(bc-lc)' grep e2e-1 grep-compile)
SP=$(perRound '(aw-lw)/(bw-lw)' e2e-1 e2e-n)
EM=$(perRound 'mb/1048576/(ac-lc)' e2e-1 e2e-1)
echo "== ratios: the median of the $REPS rounds' figures, each round's in [] (a round runs"
echo "   everything once, back to back, so its figures share the machine's state)"
echo "grep: $(cat "$W/grep.lines") lines of output; its compile: $(cpu grep-compile) CPU-s (median)"
echo "grep CPU / hadath e2e CPU (1 worker, whole runs):       $(roundMedian <<< "$GR")   [$GR]   (target >= 2)"
echo "  scans only (grep net of its compile, hadath of load): $(roundMedian <<< "$GS")   [$GS]"
if [[ "${MARGINAL:-}" == 1 ]]; then
	# (grep3 - grep) / (e2e3 - e2e1), CPU, round by round
	MG=$(paste -d' ' "$W/grep3.time" "$W/grep.time" "$W/e2e3-1.time" "$W/e2e-1.time" |
		awk '{ g = ($3+$4) - ($7+$8); h = ($11+$12) - ($15+$16); printf "%s%.2f", (NR>1?" ":""), (h > 0 ? g/h : 0) }')
	MH=$(paste -d' ' "$W/e2e3-1.time" "$W/e2e-1.time" |
		awk -v mb="$BYTES" '{ h = ($3+$4) - ($7+$8); printf "%s%.2f", (NR>1?" ":""), (h > 0 ? 2*mb/1048576/h : 0) }')
	MGR=$(paste -d' ' "$W/grep3.time" "$W/grep.time" |
		awk -v mb="$BYTES" '{ g = ($3+$4) - ($7+$8); printf "%s%.2f", (NR>1?" ":""), (g > 0 ? 2*mb/1048576/g : 0) }')
	echo "  scans, marginal (3x text - 1x text, CPU):             $(roundMedian <<< "$MG")   [$MG]"
	echo "    grep's marginal MB per CPU-s: $(roundMedian <<< "$MGR") [$MGR]; hadath's: $(roundMedian <<< "$MH") [$MH]"
fi
echo "grep wall / hadath e2e wall (1 worker, whole runs):     $(ratio "$(secs grep)" "$(secs e2e-1)")"
echo "hadath $WORKERS workers wall speed-up over 1 (net of load):  $(roundMedian <<< "$SP")   [$SP]   (target >= 1.8 for 2; needs an idle machine)"
echo "cat wall / hadath e2e wall (fraction of the I/O floor):  $(ratio "$(secs cat)" "$E1")"
echo "hadath gaz-only MB per CPU-second (net):                $(mbps "$G1C")   (normalize + sentences + gazetteer + JSON; the stage target, >= 60, is BenchmarkStage)"
echo "hadath e2e MB per CPU-second (net):                     $(roundMedian <<< "$EM")   [$EM]   (target >= 15)"
echo "peak RSS e2e 500k, 1 worker (MB):                       $(rss e2e-1)   (target <= 300)"
echo "warm start-up with 500k names (s):                      $(secs load)   (target <= 1)"
echo "work dir: $W (timings in *.time: wall KB user sys; stderr in *.err)"
