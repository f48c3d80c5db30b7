#!/usr/bin/env bash
# Prints the structure figures of the checkout it runs in: public types per package (main sources),
# the lines of the largest engine files, and how often the cache and its group name each other.
# Usage: scripts/layout-counts.sh [checkout]   (default: this repository)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

echo "public types / all types, per package (main sources):"
find . -path '*/src/main/java/*' -name '*.java' ! -name 'package-info.java' ! -path '*/target/*' |
  while read -r f; do
    pkg=$(sed -n 's/^package \([a-z0-9_.]*\);.*/\1/p' "$f" | head -1)
    if grep -qE '^public ' "$f"; then echo "$pkg 1"; else echo "$pkg 0"; fi
  done |
  awk '{all[$1]++; pub[$1]+=$2} END {for (p in all) printf "  %-28s %3d / %3d\n", p, pub[p], all[p]}' |
  sort

core=freshcache-core/src/main/java/io/freshcache
echo "lines:"
for f in "$core/LocalCache.java" "$core/CacheGroup.java" \
  $(find . -path '*/src/main/java/*' -name 'WireEvent.java' ! -path '*/target/*'); do
  [ -f "$f" ] && printf "  %-60s %5d\n" "${f#./}" "$(wc -l <"$f")"
done
echo "LocalCache lines naming CacheGroup: $(grep -c 'CacheGroup' "$core/LocalCache.java" || true)"
echo "CacheGroup lines naming LocalCache: $(grep -c 'LocalCache' "$core/CacheGroup.java" || true)"
echo "instanceof dispatches on Invalidation kinds (main): $(grep -rE 'instanceof Invalidation\.' --include=*.java . | grep -c '/src/main/' || true)"
