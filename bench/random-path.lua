-- wrk script: each request picks a random line of a file as the query value.
-- Usage: wrk ... -s random-path.lua <url> -- <prefix> <file>
local lines = {}
local prefix = ""
function init(args)
  prefix = args[1]
  for line in io.lines(args[2]) do lines[#lines + 1] = line end
  math.randomseed(os.time() + math.random(1000))
end
local function escape(s)
  return (s:gsub("[^%w%-%._~/]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
function request()
  return wrk.format("GET", prefix .. escape(lines[math.random(#lines)]))
end
