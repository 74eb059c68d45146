-- scoring_extend_bad.lua — tests/lua/scoring_extend_test.lua: one faulty change to a
-- base scheme per --set case=NAME; each must be an error at its own line below.
local S = require "scoring"
local R = require "scoring_rules"
local base = require "scoring_invariant_a1"
local case = ctx.params.case

if case == "unknown_id" then S.extend(base, { S.set("A9", { max = 25 }) }) end               -- line 8
if case == "unknown_option" then S.extend(base, { S.set("A1", { pre = 6 }) }) end            -- line 9
if case == "bad_value" then S.extend(base, { S.set("B2", { full_at = 1.5 }) }) end           -- line 10
if case == "bad_place" then S.extend(base, { S.move("B5", { before = "B44" }) }) end         -- line 11
if case == "duplicate" then
  S.extend(base, { S.add(R.bonus{ "B1", "x", max = 1, indicator = "bonus" }, { after = "B6" }) })  -- line 13
end
if case == "not_a_change" then S.extend(base, { R.bonus{ "B9", "x", max = 1, indicator = "bonus" } }) end  -- line 15
