#!/usr/bin/env bash
# Make `java` (a headless JDK/JRE 17+) available for the Spark portability tests.
# Debian/Ubuntu only (apt-get); works as root or through sudo; fails soft: the caller prints a
# message and tests/test_spark_portability.py skips (with its reason) when there is no java.
set -uo pipefail
if command -v java >/dev/null 2>&1; then
  echo "java found: $(java -version 2>&1 | head -1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no java and no apt-get: install a JDK 17+ by hand to run the Spark tests" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "no java, and neither root nor password-less sudo to install it" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null \
  && $SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null \
  || { echo "apt-get could not install default-jre-headless" >&2; exit 1; }
command -v java >/dev/null 2>&1 && echo "installed: $(java -version 2>&1 | head -1)"
