-- wrk script: each request GETs a random line of a file (a path with its query, as written).
-- Usage: wrk ... -s random-url.lua <url> -- <file>
local lines = {}
function init(args)
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  math.randomseed(os.time() + math.random(1000))
end
function request()
  return wrk.format("GET", lines[math.random(#lines)])
end
