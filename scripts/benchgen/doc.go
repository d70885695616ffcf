// Command benchgen writes the data of scripts/bench.sh: the 500k-name
// gazetteer (big.yaml for hadath, names.txt for grep -f) and about 50 MB of
// Arabic news text (text.jsonl for hadath, text.txt with the same texts one
// per line, for grep and cat).
//
//	go run ./scripts/benchgen -out /tmp/hadath-bench -names 500000 -mb 50
package main
