#!/usr/bin/env bash
# The service tour of the README, as one script (tests/tour.rs runs it).
# Needs nats-server and lede on PATH (cargo install --path . puts lede there).
set -e
nats-server -js &                        # NATS with JetStream on 127.0.0.1:4222
lede run &                               # the worker: creates the streams; admin on 127.0.0.1:9090
lede publish examples/                   # 6 inputs: 4 articles, 2 duplicates
lede tail --all --count 4                # the 4 enriched records, from the stream's start
lede tail --all --count 2 --subject articles.duplicates
curl -s 127.0.0.1:9090/metrics | grep -E '^lede_articles_(enriched|duplicates)_total'
kill %2 && wait %2                       # SIGTERM: the worker drains, exits 0
kill %1
