-- wrk script for bench/writes.sh: every thread (one connection each) records governance in its own
-- circle: a role with a purpose, 3 accountabilities and a domain within the circle's.
-- Usage: wrk -tN -cN ... -s governance-write.lua <url> -- <org id> <circles file: "circleId domainKey" per line> <run name>
-- (names and domain keys carry the run's name: a second run must not repeat the first one's).
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  local circles = {}
  for line in io.lines(args[2]) do circles[#circles + 1] = line end
  local circle, domain = circles[((id - 1) % #circles) + 1]:match("(%S+) (%S+)")
  path = "/api/orgs/" .. args[1] .. "/circles/" .. circle .. "/governance"
  prefix = domain .. "/" .. args[3] .. "-t" .. id .. "-"
  n = 0
end
function request()
  n = n + 1
  local body = string.format(
    '{"changes":[{"op":"createRole","name":"Role %s%d","purpose":"Keep %s%d going",' ..
    '"accountabilities":["Answering %d","Checking %d","Reporting %d"],"domains":[{"key":"%s%d","title":"Domain %d"}]}]}',
    prefix, n, prefix, n, n, n, n, prefix, n, n)
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end
