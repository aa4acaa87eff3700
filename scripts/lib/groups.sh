# Sourced by the test scripts: background commands in process groups of
# their own, all ended when the script exits, fails, is interrupted, or is
# killed outright (scripts/peers/guard.sh watches this shell's pid).
#   start_group LOGFILE COMMAND [ARGS...]   sets GROUP_PID; LOGFILE - keeps
#                                           this shell's output
#   wait_group PID                          waits for it, while the traps
#                                           still fire (a foreground command
#                                           would hold them back)
GROUP_PIDS=()
_GROUPS_GUARD="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/peers/guard.sh"

start_group() {
  local log=$1
  shift
  # A background job of a non-interactive shell is not a group leader, so
  # setsid makes it one without forking: $! is the new group's id.
  if [ "$log" = - ]; then
    setsid "$_GROUPS_GUARD" "$$" "$@" </dev/null &
  else
    setsid "$_GROUPS_GUARD" "$$" "$@" >"$log" 2>&1 </dev/null &
  fi
  GROUP_PID=$!
  GROUP_PIDS+=("$GROUP_PID")
}

wait_group() {
  local status=0
  wait "$1" || status=$?
  return "$status"
}

stop_groups() {
  local pid
  for pid in "${GROUP_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${GROUP_PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${GROUP_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  GROUP_PIDS=()
}

trap stop_groups EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
