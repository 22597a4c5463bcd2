-- wrk script: ada's login with a wrong OTP code (given as the script's argument), at full speed,
-- counting the answers by status; done() prints the totals as "status <code>: <count>" lines.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-client-key"] = "demo-client-key"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  wrk.body = '{"email":"ada@example.com","password":"Demo-Passw0rd!","otpCode":"' .. args[1] .. '"}'
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end
