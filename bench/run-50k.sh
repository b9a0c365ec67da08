#!/bin/bash
# 50,000 chargers on this 2-core machine: swarm --processes 3 against csms --processes 3 (cluster)
cd "$(dirname "$0")/.." && mkdir -p out
node bin/chargecheck.js csms --listen 127.0.0.1:18543 --charger '*:bench-secret-50k' --processes 3 --quiet --heartbeat 60 --cert-dir out/certs50k > out/csms50k.txt 2>&1 &
CSMS=$!
echo $CSMS > out/csms50k.pid
for i in $(seq 1 60); do grep -q "listening" out/csms50k.txt && break; sleep 1; done
cat out/csms50k.txt
/usr/bin/time -v node bin/chargecheck.js swarm --csms wss://127.0.0.1:18543/ocpp --count 50000 --processes 3 --password bench-secret-50k --ca out/certs50k/ca.pem \
  --ramp 400 --hold 60 --duration 1200 --local-address 127.0.0.1,127.0.0.2,127.0.0.3 --out out/swarm50k > out/swarm50k.txt 2> out/swarm50k.time
kill -TERM $CSMS
wait $CSMS
echo done
