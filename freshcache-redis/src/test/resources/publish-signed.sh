#!/bin/sh
# A publisher that knows no Java: signs an event by the EventKeys recipe, publishes it, prints it.
# Usage: publish-signed.sh REDIS_URI KEY_ID SECRET EVENT_TYPE JSON
set -eu
uri=$1 kid=$2 secret=$3 type=$4 json=$5
hex=$(printf '%s' "$json" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= //')
message="${json%?},\"sig\":\"$kid:$hex\"}"
redis-cli -u "$uri" PUBLISH "cache:invalidation:$type" "$message" > /dev/null
printf '%s\n' "$message"
