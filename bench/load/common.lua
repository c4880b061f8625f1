-- Shared by the load scripts (loaded with dofile): reading the data file, counting answers that are not
-- the expected status, and one RESULT line per run for bench/load/run.py to parse.
local M = {}

function M.lines(path)
  local out = {}
  local f = assert(io.open(path, "r"), "cannot open " .. path)
  for line in f:lines() do
    if #line > 0 then out[#out + 1] = line end
  end
  f:close()
  assert(#out > 0, "no data in " .. path)
  return out
end

-- Collect the threads so that done() can add up what each counted.
M.threads = {}
function M.setup(thread)
  thread:set("id", #M.threads + 1)
  M.threads[#M.threads + 1] = thread
end

function M.done(name, summary, latency)
  local bad, statuses = 0, {}
  for _, t in ipairs(M.threads) do
    bad = bad + (t:get("bad") or 0)
    local seen = t:get("seen") or ""
    for code, n in seen:gmatch("(%d+)=(%d+)") do statuses[code] = (statuses[code] or 0) + tonumber(n) end
  end
  local parts = {}
  for code, n in pairs(statuses) do parts[#parts + 1] = code .. "=" .. n end
  local e = summary.errors
  io.write(string.format("RESULT %s %d %.3f %.2f %.2f %.2f %.2f %.2f %d %d %s\n", name, summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.connect + e.read + e.write + e.timeout, bad, table.concat(parts, ",")))
end

-- Per thread: count the answers whose status is not `expected`, by status (kept in the thread's globals
-- `bad` and `seen`, which done() reads). Nothing is built for an expected answer.
function M.counter(expected)
  local counts = {}
  return function(status)
    if status ~= expected then
      bad = (bad or 0) + 1
      counts[status] = (counts[status] or 0) + 1
      local parts = {}
      for code, n in pairs(counts) do parts[#parts + 1] = code .. "=" .. n end
      seen = table.concat(parts, ",")
    end
  end
end

return M
