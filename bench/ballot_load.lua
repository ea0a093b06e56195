-- wrk script: every request casts a ballot as one of the rehearsal voters.
-- Environment: VOTERS (file of "SESSION CSRF" lines), ROUND (round id), CHOICES
-- (comma-separated project ids on the ballot paper), MAXLEN (most choices a ballot
-- may hold), OFFSET (first voter to use), REPLACE ("1": change existing ballots, so a
-- voter may vote again; "0": each voter votes once), RECEIPTS (folder: each thread
-- appends the receipt codes it was given, for the durability check).
-- The environment is read once per thread, each voter's requests are built once, and
-- responses are handed to the script only when their receipts are wanted: a script that
-- looks at every response costs wrk (on the same two cores as the server) more CPU time
-- than the server spends on some requests.
local voters = {}
local choices = {}
local thread_id = 0
local counter = 0
local threads = {}
local receipts = nil
local path, maxlen, replace

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  for line in io.lines(os.getenv("VOTERS")) do
    local s, c = line:match("^(%S+) (%S+)$")
    if s then table.insert(voters, {s, c}) end
  end
  for p in string.gmatch(os.getenv("CHOICES"), "%d+") do table.insert(choices, p) end
  counter = tonumber(os.getenv("OFFSET") or "0") + thread_id
  math.randomseed(os.time() + thread_id)
  path = "/api/pb/rounds/" .. os.getenv("ROUND") .. "/ballot"
  maxlen = tonumber(os.getenv("MAXLEN"))
  replace = os.getenv("REPLACE") == "1" and "true" or "false"
  local dir = os.getenv("RECEIPTS")
  if dir and dir ~= "" then receipts = io.open(dir .. "/receipts-" .. thread_id .. ".txt", "a") end
end

-- One voter's ballot with random choices, as a whole HTTP request.
local function ballot(v)
  local n = math.random(1, maxlen)
  local picked, seen = {}, {}
  while #picked < n do
    local c = choices[math.random(1, #choices)]
    if not seen[c] then seen[c] = true; table.insert(picked, c) end
  end
  local body = '{"choices":[' .. table.concat(picked, ",") .. '],"replace":' .. replace .. '}'
  return wrk.format("POST", path, {
    ["Cookie"] = "communitise_session=" .. v[1],
    ["X-CSRF-Token"] = v[2],
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }, body)
end

-- Each voter's requests are built the first time the voter comes round: when voters
-- may change their ballots, two different ballots that they then cast in turn. Building
-- a request costs wrk, on the same cores as the server, more than sending one.
local built = {}
function request()
  local i = (counter % #voters) + 1
  counter = counter + 2  -- wrk -t2: the two threads take alternate voters
  local b = built[i]
  if b == nil then
    b = {ballot(voters[i]), replace == "true" and ballot(voters[i]) or nil, 1}
    built[i] = b
  elseif b[2] ~= nil then
    b[3] = 3 - b[3]
  end
  return b[b[3]]
end

if (os.getenv("RECEIPTS") or "") ~= "" then
  function response(status, headers, body)
    if receipts and (status == 200 or status == 201) then
      local code = body:match('"receipt":"([%w%-]+)"')
      if code then receipts:write(code, "\n"); receipts:flush() end
    end
  end
end
