#!/usr/bin/env bash
# `npm test`: the typecheck and lint (`npm run check`) run while vitest starts DynamoDB Local and `npm start` for the
# system tests (its first start seeds the pilot history, mostly on one core), instead of before it. Their output is
# printed after the tests' (nothing when clean); the exit code fails when either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
# The tests' throwaway data (the local systems' DynamoDB Local files, their copies, browser profiles) in memory where
# the machine has it: DynamoDB Local on disk syncs every write, which a test's data does not need to survive.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
npm run -s check > .cache/check.log 2>&1 &
check=$!
npx vitest run "$@"
tests=$?
wait "$check"
checked=$?
if [ "$checked" -ne 0 ]; then
  echo
  echo "npm run check failed (typecheck or lint):"
  cat .cache/check.log
fi
[ "$tests" -eq 0 ] && [ "$checked" -eq 0 ]
