#!/usr/bin/env bash
# Soak run for hadath (issue 8): generate SIZE_MB of JSON Lines with faults
# sprinkled in, run `hadath extract -o`, kill it part-way, resume with
# --resume, and check that every input line is accounted for by exactly one
# output record (a document or an error record). Prints peak RSS.
#
#   scripts/soak.sh [SIZE_MB] [KILL_AFTER_SECONDS]
set -euo pipefail
SIZE_MB=${1:-1024}
KILL_AFTER=${2:-30}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/hadath" ./cmd/hadath

echo "== generating ${SIZE_MB} MB in $work/in.jsonl"
python3 - "$work/in.jsonl" "$SIZE_MB" <<'PY'
import json, random, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
random.seed(7)
base = open("testdata/seed-aleppo-2016-12-07.txt", encoding="utf-8").read()
en = ("Rebels in eastern Aleppo called for a five-day truce and the evacuation of 500 wounded "
      "people to the northern countryside, under the auspices of the United Nations. ")
limit = size_mb * 1024 * 1024
n = 0
with open(path, "wb") as f:
    written = 0
    while written < limit:
        n += 1
        r = n % 1000
        if r == 1:
            line = b'{"id": "bad-%d", "text": "unterminated\n' % n          # malformed JSON
        elif r == 2:
            line = b'{"id": "utf-%d", "text": "\xff\xfe broken bytes \xc3"}\n' % n   # invalid UTF-8
        elif r == 3:
            line = json.dumps({"id": "nul-%d" % n, "text": "a\u0000b " + en}).encode() + b"\n"
        elif r == 4:
            line = json.dumps({"id": "num-%d" % n, "text": 42}).encode() + b"\n"  # non-string text
        elif r == 5:
            line = json.dumps({"id": "empty-%d" % n}).encode() + b"\n"            # missing text
        elif n == 5000:
            line = json.dumps({"id": "long-%d" % n, "text": en * 30000}).encode() + b"\n"  # ~4.7 MB document
        elif n == 7000:
            line = json.dumps({"id": "huge-%d" % n, "text": en * 60000}).encode() + b"\n"  # ~9 MB: over the 8 MiB cap
        else:
            text = base if n % 2 else en * random.randint(1, 20)
            line = json.dumps({"id": "d%d" % n, "date": "2016-12-07", "text": text}, ensure_ascii=False).encode() + b"\n"
        f.write(line)
        written += len(line)
print(n, "lines")
PY
lines=$(wc -l < "$work/in.jsonl")
echo "input lines: $lines"

echo "== first run, killed after ${KILL_AFTER}s"
set +e
timeout --preserve-status -s INT "$KILL_AFTER" "$work/hadath" extract -o "$work/out.jsonl" --log-level warn "$work/in.jsonl"
code=$?
set -e
echo "exit status $code (130 = interrupted)"
partial=$(wc -l < "$work/out.jsonl" || echo 0)
echo "records after the interrupted run: $partial"

echo "== resumed run"
tm=""
if command -v /usr/bin/time >/dev/null; then tm="/usr/bin/time -v"; fi
set +e
$tm "$work/hadath" extract -o "$work/out.jsonl" --resume --stats "$work/stats.json" --log-level warn "$work/in.jsonl" 2> "$work/time.txt"
code=$?
set -e
echo "exit status $code (1 = some documents failed, as planted)"
grep -E "Maximum resident|Elapsed" "$work/time.txt" || true
cat "$work/stats.json"

out=$(wc -l < "$work/out.jsonl")
errs=$(grep -c '"stage":"input"' "$work/out.jsonl" || true)
echo "input lines: $lines, output records: $out, input-error records: $errs"
python3 - "$work/out.jsonl" "$lines" <<'PY'
import json, sys
seen = {}
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    n += 1
    key = rec.get("source") or rec["id"]
    seen[key] = seen.get(key, 0) + 1
lines = int(sys.argv[2])
dups = sum(1 for v in seen.values() if v > 1)
print("records:", n, "distinct sources:", len(seen), "duplicated sources:", dups)
sys.exit(0 if n == lines and dups == 0 else 1)
PY
echo "every input line accounted for exactly once"
