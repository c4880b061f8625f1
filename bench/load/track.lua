-- Citizens tracking a dossier: POST /tra-cuu/ with the dossier code and the phone number on it, as the
-- look-up form sends it (CSRF cookie and field). Success: 302 to the dossier's page.
-- LOAD_DATA: a file of "code phone" lines; LOAD_CSRF: the token; LOAD_DELAY_MS: pause between requests.
package.path = os.getenv("LOAD_LIB") .. "/?.lua;" .. package.path
local common = require("common")
local pairs_, token, pause = nil, os.getenv("LOAD_CSRF"), tonumber(os.getenv("LOAD_DELAY_MS") or "0")
local i = 0
local count = common.counter(302)
setup = common.setup

function init(args)
  pairs_ = {}
  for _, line in ipairs(common.lines(os.getenv("LOAD_DATA"))) do
    local code, phone = line:match("(%S+) (%S+)")
    pairs_[#pairs_ + 1] = "csrfmiddlewaretoken=" .. token .. "&code=" .. code .. "&secret=" .. phone
  end
  i = (id or 1) * 7919
end

request = function()
  i = i + 1
  return wrk.format("POST", "/tra-cuu/", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token}, pairs_[(i % #pairs_) + 1])
end

response = function(status) count(status) end
if pause > 0 then delay = function() return pause end end
done = function(summary, latency) common.done("tracking", summary, latency) end
