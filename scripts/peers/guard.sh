#!/usr/bin/env bash
# guard.sh PARENT_PID COMMAND [ARGS...]
# Runs COMMAND in place of this shell (same pid, so the caller sees its exit
# code), beside a watcher in the same process group that ends the whole group
# once PARENT_PID is gone. The test helpers start every peer through it, in a
# process group of its own: a test run that fails, is interrupted or is killed
# leaves no tool running.
parent=$1
shift
(
  trap '' HUP
  while kill -0 "$parent" 2>/dev/null; do sleep 1; done
  kill -TERM -- -$$ 2>/dev/null
  sleep 5
  kill -KILL -- -$$ 2>/dev/null
) </dev/null >/dev/null 2>&1 &
exec "$@"
