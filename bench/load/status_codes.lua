-- wrk script: counts responses by HTTP status across all threads and prints one line,
-- "status_codes 200=N 503=M ...", that bench/load/run.sh parses (wrk's own summary lumps every
-- non-2xx/3xx answer together, and a readiness gate may legitimately answer 503).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do table.insert(parts, status .. "=" .. total[status]) end
  io.write("status_codes " .. table.concat(parts, " ") .. "\n")
end
