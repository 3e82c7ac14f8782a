# Helpers the bench scripts share (sourced, not run).

# The folder of the installed PostgreSQL server binaries (initdb, pg_ctl, psql, pgbench), as the service finds them.
pg_bin() {
  dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
}

# A TCP port free on 127.0.0.1 at the moment of asking.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
