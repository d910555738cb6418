#!/usr/bin/env bash
# Servers the tests start themselves (tools/postgres.py, tests/test_two_servers.py):
# Debian's PostgreSQL 15 server and nginx. Nothing is started here and nothing
# runs as a service: the tests run each in a temporary folder on a loopback port.
#
# Installs what is missing when it can (root with apt-get); where it cannot, it
# says how and exits 0: the tests that need them then fail with the same advice.
set -u

have_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
have_nginx() { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }

missing=()
have_postgres || missing+=(postgresql-15)
have_nginx || missing+=(nginx)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} (Debian packages) for the server tests…"
    apt-get update -qq >/dev/null 2>&1 || true
    # policy-rc.d: install the programs only; the packages' own services stay stopped
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || echo "apt-get install ${missing[*]} failed: the PostgreSQL and nginx tests will fail until it is installed"
    rm -f /usr/sbin/policy-rc.d
else
    echo "Missing for the server tests: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
fi
exit 0
