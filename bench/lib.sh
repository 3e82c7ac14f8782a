# Helpers the bench scripts share (sourced, not run).

# The folder of the installed PostgreSQL server binaries (initdb, pg_ctl, psql, pgbench), as the service finds them.
pg_bin() {
  dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
}

# A TCP port free on 127.0.0.1 at the moment of asking.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_service DLL ROOT LOG [SETTING=VALUE...]: the service DLL on an embedded PostgreSQL under ROOT, listening on
# $url, as the benches run it (Production, development sign-in and no rate limit: the load comes from one client and
# measures the service, not its limits), output appended to LOG. Sets $app; returns once /health/ready answers 200.
start_service() {
  local dll=$1 root=$2 log=$3; shift 3
  env Governance__EmbeddedDatabase__DataRoot="$root/pg" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    Governance__Auth__Development=true Governance__RateLimit__PermitsPerSecond=0 "$@" \
    dotnet "$dll" --urls "$url" >> "$log" 2>&1 &
  app=$!
  until curl -sf -o /dev/null "$url/health/ready"; do
    kill -0 "$app" 2>/dev/null || { tail -20 "$log" >&2; return 1; }
    sleep 0.01
  done
}
