-- Staff working their inboxes: GET LOAD_PATH (/mot-cua/cua-toi/ or /mot-cua/don-vi/) with the session of
-- one of the officers in LOAD_DATA (one "sessionid=…" cookie a line), reading the page for about
-- LOAD_THINK_MS (0.5–1.5 times, at random) before the next click. Success: 200.
package.path = os.getenv("LOAD_LIB") .. "/?.lua;" .. package.path
local common = require("common")
local cookies, path = nil, os.getenv("LOAD_PATH")
local think = tonumber(os.getenv("LOAD_THINK_MS") or "0")
local i = 0
local count = common.counter(200)
setup = common.setup

function init(args)
  cookies = common.lines(os.getenv("LOAD_DATA"))
  math.randomseed(os.time() + (id or 0) * 1009)
  i = (id or 0) * 5
end

request = function()
  i = i + 1
  return wrk.format("GET", path, {["Cookie"] = cookies[(i % #cookies) + 1]})
end

response = function(status) count(status) end
if think > 0 then delay = function() return math.floor(think * (0.5 + math.random())) end end
done = function(summary, latency) common.done(os.getenv("LOAD_NAME") or "inbox", summary, latency) end
