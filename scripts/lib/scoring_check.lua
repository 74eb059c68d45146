-- scoring_check.lua — checking a scheme where it is written (issue 15, defect 2).
--
-- A scheme's options are checked when the scheme is defined: an unknown option name, an
-- option of the wrong type or out of its range, a missing one, is an error at the line
-- of the scheme file that wrote it, with a suggestion ("scripts/x.lua:26: unknown option
-- 'pre' (did you mean 'per'?)"). Names that only the year's data can confirm (targets,
-- indicators) are checked when the scheme is evaluated, and reported at the same line.
-- Errors raised here are one line: an error object whose text is the message, so the
-- runtime prints it without a traceback (core/script.c's message handler prints a
-- table's __tostring as it is). Used by scoring.lua and scoring_rules.lua.
local C = {}

-- {==================================================================
-- Where and how to fail
-- ===================================================================

-- "file:LINE: " of the function `level` calls up from the caller of where (1 = the
-- caller itself, 2 = its caller, ...), as error(msg, level) would prefix it; "" when
-- that level is not Lua code.
function C.where(level)
  local _, w = pcall(error, "", level + 2)
  return type(w) == "string" and w or ""
end

local USER_ERROR = { __tostring = function(e) return e.message end }

-- Raises a one-line error (no traceback): `where` .. `message`.
function C.fail(where, message)
  error(setmetatable({ message = (where or "") .. message }, USER_ERROR), 0)
end

-- }==================================================================

-- {==================================================================
-- Suggestions
-- ===================================================================

-- Levenshtein distance between two strings (bytes; names are ASCII, Chinese names
-- compare byte-wise, which still ranks near misses first).
function C.distance(a, b)
  local la, lb = #a, #b
  if la == 0 then return lb end
  if lb == 0 then return la end
  local prev, cur = {}, {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    cur[0] = i
    local ca = a:byte(i)
    for j = 1, lb do
      local cost = ca == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev, cur = cur, prev
  end
  return prev[lb]
end

-- The candidates sorted by closeness to `name` (edit distance, then length, then
-- alphabetically).
function C.by_closeness(name, candidates)
  local list = {}
  for _, c in ipairs(candidates) do list[#list + 1] = c end
  local lname = name:lower()
  table.sort(list, function(x, y)
    local dx, dy = C.distance(lname, x:lower()), C.distance(lname, y:lower())
    if dx ~= dy then return dx < dy end
    local lx, ly = math.abs(#x - #name), math.abs(#y - #name)   -- then the length nearest
    if lx ~= ly then return lx < ly end
    return x < y
  end)
  return list
end

-- The closest candidate when it is close enough to be a misspelling, else nil.
function C.suggest(name, candidates)
  local best = C.by_closeness(name, candidates)[1]
  if best and C.distance(name:lower(), best:lower()) <= math.max(2, #name // 3) then return best end
  return nil
end

-- " (did you mean 'x'?)" or "".
function C.did_you_mean(name, candidates)
  local s = C.suggest(name, candidates)
  return s and string.format(" (did you mean '%s'?)", s) or ""
end

-- "a, b, c, …": the candidates closest to name first, at most `n` (default 6).
function C.known(name, candidates, n)
  n = n or 6
  local list = C.by_closeness(name, candidates)
  local out = {}
  for i = 1, math.min(n, #list) do out[i] = list[i] end
  if #list > n then out[#out + 1] = "…" end
  return table.concat(out, ", ")
end

-- }==================================================================

-- {==================================================================
-- Options
-- ===================================================================

local function describe(v)
  if type(v) == "string" then return string.format("'%s'", v) end
  return tostring(v)
end

-- Checks one value against a type spec: "number", "integer", "string", "boolean",
-- "table", "function", "where" (a table or a function), or a table
-- { type =, min =, max =, more = (exclusive min), one_of = {...} }. Returns an error
-- text or nil.
local function check_value(v, t)
  if type(t) == "string" then t = { type = t } end
  local ty = t.type
  if ty == "integer" then
    if math.type(v) ~= "integer" and not (type(v) == "number" and v == math.floor(v)) then
      return "expected a whole number, got " .. describe(v)
    end
  elseif ty == "where" then
    if type(v) ~= "table" and type(v) ~= "function" then
      return "expected a table of field = value or a function, got " .. type(v)
    end
  elseif ty and type(v) ~= ty then
    return string.format("expected a %s, got %s", ty, type(v) == "string" and describe(v) or type(v))
  end
  if t.one_of then
    for _, x in ipairs(t.one_of) do if v == x then return nil end end
    local names = {}
    for i, x in ipairs(t.one_of) do names[i] = tostring(x) end
    return string.format("must be one of %s, got %s%s", table.concat(names, ", "), describe(v),
      type(v) == "string" and C.did_you_mean(v, names) or "")
  end
  if t.min and v < t.min then return string.format("must be at least %s, got %s", t.min, v) end
  if t.more and v <= t.more then return string.format("must be more than %s, got %s", t.more, v) end
  if t.max and v > t.max then return string.format("must be at most %s, got %s", t.max, v) end
  return nil
end
C.check_value = check_value

-- Checks the named options of `spec` against `schema` = { name = type spec, ... }
-- (a type spec may say required = true) for the constructor `what` ("over_target A1"):
-- unknown names (with a suggestion), types and ranges, required ones. Array entries
-- (spec[1], spec[2], ...) are the constructor's business. Fails at `where`.
function C.options(spec, schema, what, where)
  if type(spec) ~= "table" then
    C.fail(where, string.format("%s: expected a table {...}, got %s", what, type(spec)))
  end
  local names = {}
  for k in pairs(schema) do names[#names + 1] = k end
  table.sort(names)
  local keys = {}
  for k in pairs(spec) do
    if math.type(k) ~= "integer" then keys[#keys + 1] = tostring(k) end
  end
  table.sort(keys)
  for _, k in ipairs(keys) do
    if schema[k] == nil then
      C.fail(where, string.format("%s: unknown option '%s'%s", what, k, C.did_you_mean(k, names)))
    end
  end
  for _, k in ipairs(names) do
    local t, v = schema[k], spec[k]
    if v == nil then
      if type(t) == "table" and t.required then
        C.fail(where, string.format("%s: option '%s' missing", what, k))
      end
    else
      local err = check_value(v, t)
      if err then C.fail(where, string.format("%s: option '%s' %s", what, k, err)) end
    end
  end
end

-- The accident fields a `where` table may name, and the values of the coded ones.
C.ACCIDENT_FIELDS = { id = "string", occurred_at = "string", deaths = "number",
  level = { type = "string", one_of = { "一般", "较大", "重大", "特别重大" } },
  report_status = { type = "string", one_of = { "normal", "late", "omitted", "false", "concealed" } },
  closed_on = "string" }

-- Checks a `where` spec (a function, or field = value / field = {values}).
function C.where_spec(where_spec, what, at)
  if type(where_spec) == "function" then return end
  if type(where_spec) ~= "table" then
    C.fail(at, string.format("%s: where: expected a table of field = value or a function, got %s",
      what, type(where_spec)))
  end
  local fields = {}
  for k in pairs(C.ACCIDENT_FIELDS) do fields[#fields + 1] = k end
  table.sort(fields)
  for k, want in pairs(where_spec) do
    local t = C.ACCIDENT_FIELDS[k]
    if t == nil then
      C.fail(at, string.format("%s: where: unknown accident field '%s'%s (fields: %s)", what,
        tostring(k), C.did_you_mean(tostring(k), fields), table.concat(fields, ", ")))
    end
    local values = type(want) == "table" and want or { want }
    for _, v in ipairs(values) do
      local err = check_value(v, t)
      if err then C.fail(at, string.format("%s: where: %s %s", what, k, err)) end
    end
  end
end

-- }==================================================================

return C
