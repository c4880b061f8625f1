-- Integrators submitting dossiers: POST /api/v1/dossiers with a bearer key and a new Idempotency-Key
-- each time (LOAD_RUN + thread + counter). Success: 201.
-- LOAD_DATA: a file of JSON bodies, one a line; LOAD_TOKEN: the API key; LOAD_RUN: this run's id;
-- LOAD_NAME and LOAD_EXPECT: the scenario's name and the status that counts as success (submit, 201).
package.path = os.getenv("LOAD_LIB") .. "/?.lua;" .. package.path
local common = require("common")
local bodies, token, run = nil, os.getenv("LOAD_TOKEN"), os.getenv("LOAD_RUN")
local pause = tonumber(os.getenv("LOAD_DELAY_MS") or "0")
local n = 0
local name = os.getenv("LOAD_NAME") or "submit"
local count = common.counter(tonumber(os.getenv("LOAD_EXPECT") or "201"))
setup = common.setup

function init(args)
  bodies = common.lines(os.getenv("LOAD_DATA"))
end

request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/dossiers", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token, ["Idempotency-Key"] = run .. "-" .. (id or 0) .. "-" .. n},
    bodies[((n + (id or 0) * 31) % #bodies) + 1])
end

response = function(status) count(status) end
if pause > 0 then delay = function() return pause end end
done = function(summary, latency) common.done(name, summary, latency) end
