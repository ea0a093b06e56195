-- wrk script: looks up each receipt code of RECEIPTS_FILE once and counts how many the
-- server reports counted (200) or unknown (404). Run with -t1 -c1.
local codes = {}
local i = 0
local found, missing, other = 0, 0, 0

function init(args)
  for line in io.lines(os.getenv("RECEIPTS_FILE")) do table.insert(codes, line) end
end

function request()
  i = i + 1
  if i > #codes then i = #codes end
  return wrk.format("GET", "/api/pb/receipts/" .. codes[i], {["Accept"] = "application/json"})
end

function response(status, headers, body)
  if status == 200 then found = found + 1 elseif status == 404 then missing = missing + 1 else other = other + 1 end
  if found + missing + other >= #codes then
    io.write(string.format("receipts checked %d: counted %d, unknown %d, other %d\n",
                           #codes, found, missing, other))
    os.exit(0)
  end
end
